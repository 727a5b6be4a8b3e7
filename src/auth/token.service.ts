import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  SignJWT,
  jwtVerify,
  errors as joseErrors,
  type JWTPayload,
  type JWTHeaderParameters,
} from 'jose';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { GatehouseError } from '../common/errors/gatehouse.error.js';
import { SIGNING_ALG, SigningKeysService } from './signing-keys.service.js';
import { parseScopes, type Scope } from './scopes.js';

export interface AccessTokenClaims {
  sub: string;
  clientId: string;
  scopes: Scope[];
  jti: string;
  exp: number;
  iat: number;
  /** Id of the client secret the token was issued for, so revoking it ends the token too. */
  secretId?: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
  jti: string;
}

const CACHE_LIMIT = 50_000;

interface VerifiedToken {
  claims: AccessTokenClaims;
  /** The key that signed it: a cached token stops verifying once that key is revoked. */
  kid: string;
}

/** Issues and verifies RFC 9068 access tokens (JWT, ES256, typ at+jwt). */
@Injectable()
export class TokenService {
  /** Verified tokens by their exact text: each token's signature is checked once per lifetime. */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly keys: SigningKeysService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(clientId: string, scopes: Scope[], secretId?: string): Promise<IssuedToken> {
    const { kid, privateKey } = this.keys.signingKey();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = this.config.token.ttlSeconds;
    const jti = randomUUID();
    const scope = scopes.join(' ');
    const accessToken = await new SignJWT({
      client_id: clientId,
      scope,
      ...(secretId ? { sid: secretId } : {}),
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.config.token.issuer)
      .setAudience(this.config.token.audience)
      .setSubject(clientId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .setJti(jti)
      .sign(privateKey);
    return { accessToken, expiresIn: ttl, scope, jti };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const nowMs = this.clock.now().getTime();
    const cached = this.verified.get(token);
    if (cached) {
      const { claims, kid } = cached;
      const live = claims.exp * 1000 + this.config.token.clockToleranceSeconds * 1000 > nowMs;
      if (live && this.keys.verifies(kid)) return claims;
      this.verified.delete(token);
      throw invalidToken(
        live ? 'The access token could not be verified.' : 'The access token has expired.',
      );
    }
    let verified: { payload: JWTPayload; protectedHeader: JWTHeaderParameters };
    try {
      verified = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [SIGNING_ALG],
        issuer: this.config.token.issuer,
        audience: this.config.token.audience,
        typ: 'at+jwt',
        clockTolerance: this.config.token.clockToleranceSeconds,
        currentDate: new Date(nowMs),
        // Gatehouse issues nothing longer-lived: a token claiming a longer life was not ours.
        maxTokenAge: this.config.token.ttlSeconds,
        requiredClaims: ['iss', 'aud', 'sub', 'exp', 'iat', 'jti', 'client_id', 'scope'],
      });
    } catch (error) {
      throw invalidToken(
        error instanceof joseErrors.JWTExpired
          ? 'The access token has expired.'
          : 'The access token could not be verified.',
      );
    }
    const claims = toClaims(verified.payload);
    // keyFor accepted only a string kid.
    const kid = verified.protectedHeader.kid as string;
    // jose checks exp and nbf; a token claiming to be issued in the future is forged or from a skewed clock.
    if (claims.iat * 1000 > nowMs + this.config.token.clockToleranceSeconds * 1000) {
      throw invalidToken('The access token was issued in the future.');
    }
    // Ours live TOKEN_TTL_SECONDS; a longer one was signed with a leaked key, not issued here.
    if (claims.exp - claims.iat > this.config.token.ttlSeconds) {
      throw invalidToken('The access token could not be verified.');
    }
    if (this.verified.size >= CACHE_LIMIT) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { claims, kid });
    return claims;
  }

  private async keyFor(header: JWTHeaderParameters) {
    // jose also enforces `algorithms`, but refusing early keeps alg confusion out of the key lookup.
    if (header.alg !== SIGNING_ALG || typeof header.kid !== 'string' || header.kid.length > 128) {
      throw new joseErrors.JOSEAlgNotAllowed('unexpected alg or kid');
    }
    const key = await this.keys.verificationKey(header.kid);
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    return key;
  }
}

function toClaims(payload: JWTPayload): AccessTokenClaims {
  const { sub, jti, exp, iat } = payload;
  const clientId = payload.client_id;
  const scope = payload.scope;
  const sid = payload.sid;
  if (
    typeof sub !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number' ||
    typeof clientId !== 'string' ||
    typeof scope !== 'string' ||
    sub !== clientId
  ) {
    throw invalidToken('The access token is missing required claims.');
  }
  return {
    sub,
    clientId,
    jti,
    exp,
    iat,
    scopes: parseScopes(scope),
    ...(typeof sid === 'string' ? { secretId: sid } : {}),
  };
}

function invalidToken(detail: string): GatehouseError {
  return new GatehouseError('invalid_token', {
    detail,
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${detail}"` },
  });
}
