/**
 * A core system failed or timed out. Adapters throw this; the problem filter
 * turns it into `upstream_unavailable` without forwarding any upstream detail.
 */
export class UpstreamError extends Error {
  override name = 'UpstreamError';

  /** How long the core system asked callers to wait (its `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly system: string,
    readonly operation: string,
    readonly upstreamStatus?: number,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(`${system} ${operation} failed`, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}
