export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'unsupported_response_type';

/** An RFC 6749 §5.2 error: the token endpoints answer in OAuth's own error format. */
export class OAuthError extends Error {
  override name = 'OAuthError';

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly basicChallenge = false,
  ) {
    super(description);
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}
