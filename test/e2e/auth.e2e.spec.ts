import { generateKeyPair, exportSPKI, SignJWT, exportJWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rawExchange } from '../utils/raw-http.js';
import { startTestApp, type TestApp } from '../utils/test-app.js';
import { SigningKeysService } from '../../src/auth/signing-keys.service.js';
import type { CreatedClient } from '../../src/clients/clients.service.js';

const ISSUER = 'http://gatehouse.test';
const PROTECTED = '/v1/inventory?q=ban';

function b64(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

describe('OAuth token endpoint and access-token verification', () => {
  let t: TestApp;
  let client: CreatedClient;
  let kid: string;

  const claims = (overrides: Partial<JWTPayload> = {}): JWTPayload => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: ISSUER,
      aud: 'gatehouse',
      sub: client.clientId,
      client_id: client.clientId,
      scope: 'inventory:read',
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: `forged-${Math.random()}`,
      ...overrides,
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    client = await t.client(['inventory:read', 'orders:read']);
    kid = t.app.get(SigningKeysService).signingKey().kid;
  });
  afterAll(async () => t.close());

  describe('POST /oauth/token', () => {
    it('issues an ES256 RFC 9068 token with HTTP Basic and answers no-store', async () => {
      const res = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'inventory:read orders:read',
      });
      const [header, payload] = (res.body.access_token as string)
        .split('.')
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      expect(header).toEqual({ alg: 'ES256', kid, typ: 'at+jwt' });
      expect(payload).toMatchObject({
        iss: ISSUER,
        aud: 'gatehouse',
        sub: client.clientId,
        client_id: client.clientId,
      });
      expect(typeof payload.jti).toBe('string');
      expect(payload.exp - payload.iat).toBe(300);
    });

    it('accepts client_id and client_secret in a form body and in JSON', async () => {
      const form = await t.http.post('/oauth/token').type('form').send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
      expect(form.status).toBe(200);
      const json = await t.http.post('/oauth/token').send({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      });
      expect(json.status).toBe(200);
    });

    it('narrows the grant to the requested scopes', async () => {
      const res = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'orders:read' });
      expect(res.body.scope).toBe('orders:read');
      const inventory = await t.http.get(PROTECTED).auth(res.body.access_token, { type: 'bearer' });
      expect(inventory.status).toBe(403);
      expect(inventory.body.detail).toContain('inventory:read');
    });

    it('refuses a scope the client lacks with invalid_scope', async () => {
      const res = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'inventory:read clients:admin' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
    });

    it('answers an unknown client and a wrong secret identically', async () => {
      const unknown = await t.http
        .post('/oauth/token')
        .auth('cl_doesnotexist00000', 'whatever')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      const wrong = await t.http
        .post('/oauth/token')
        .auth(client.clientId, `${client.clientSecret}x`)
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.body).toEqual({
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
      expect(unknown.headers['www-authenticate']).toContain('Basic');
    });

    it.each([
      [{ client_id: 'x', client_secret: 'y' }, 400, 'invalid_request'],
      [
        { grant_type: 'password', client_id: 'x', client_secret: 'y' },
        400,
        'unsupported_grant_type',
      ],
      [{ grant_type: 'client_credentials' }, 401, 'invalid_client'],
    ])('answers %j with %i %s', async (body, status, error) => {
      const res = await t.http.post('/oauth/token').type('form').send(body);
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('refuses two client authentication methods at once', async () => {
      const res = await t.http
        .post('/oauth/token')
        .auth(client.clientId, client.clientSecret)
        .type('form')
        .send({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it.each([
      ['a text/plain body', 'text/plain', 'grant_type=client_credentials', /x-www-form-urlencoded/],
      [
        'a body over 64 KiB',
        'application/x-www-form-urlencoded',
        `scope=${'a'.repeat(70_000)}`,
        /too large/,
      ],
    ])(
      'answers %s in RFC 6749 form: 400 invalid_request',
      async (_what, type, body, description) => {
        const res = await t.http
          .post('/oauth/token')
          .auth(client.clientId, client.clientSecret)
          .set('content-type', type)
          .send(body);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(Object.keys(res.body as object).sort()).toEqual(['error', 'error_description']);
        expect(res.body.error).toBe('invalid_request');
        expect(res.body.error_description).toMatch(description);
      },
    );
  });

  describe('GET /oauth/authorize', () => {
    // Advertised in the RFC 8414 metadata, but agents use client credentials only.
    it.each(['', '?response_type=code&client_id=cl_aaaaaaaaaaaaaaaa&state=xyz'])(
      'answers 400 unsupported_response_type without a credential (%p)',
      async (query) => {
        const res = await t.http.get(`/oauth/authorize${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({
          error: 'unsupported_response_type',
          error_description: 'Gatehouse supports only the client_credentials grant at /oauth/token',
        });
      },
    );
  });

  describe('GET /.well-known/*', () => {
    it('publishes the signing key as JWKS without private parts', async () => {
      const res = await t.http.get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys).toHaveLength(1);
      expect(res.body.keys[0]).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        kid,
        alg: 'ES256',
        use: 'sig',
      });
      expect(res.body.keys[0].d).toBeUndefined();
    });

    it('publishes RFC 8414 and RFC 9728 metadata with the token issuer', async () => {
      const as = await t.http.get('/.well-known/oauth-authorization-server');
      expect(as.body.issuer).toBe(ISSUER);
      expect(as.body.token_endpoint).toBe(`${ISSUER}/oauth/token`);
      const pr = await t.http.get('/.well-known/oauth-protected-resource');
      expect(pr.body.authorization_servers).toEqual([ISSUER]);
    });
  });

  describe('protected routes', () => {
    it('accept a valid token', async () => {
      const token = await t.tokenFor(client);
      const res = await t.http.get(PROTECTED).auth(token, { type: 'bearer' });
      expect(res.status).toBe(200);
    });

    it('answer 401 with WWW-Authenticate and a problem body when no credential is sent', async () => {
      const res = await t.http.get(PROTECTED);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'missing_credentials',
        status: 401,
        retryable: false,
      });
      expect(res.body.instance).toBe(res.headers['x-request-id']);
    });

    it('keep a well-formed caller X-Request-Id and replace a malformed one', async () => {
      const kept = await t.http.get(PROTECTED).set('x-request-id', 'agent-req-12345678');
      expect(kept.headers['x-request-id']).toBe('agent-req-12345678');
      const replaced = await t.http.get(PROTECTED).set('x-request-id', 'bad id\twith spaces');
      expect(replaced.headers['x-request-id']).not.toBe('bad id\twith spaces');
    });
  });

  describe('forged tokens are all refused', () => {
    const attempt = async (token: string) => {
      const res = await t.http.get(PROTECTED).set('authorization', `Bearer ${token}`);
      return res;
    };

    const expectRefused = async (token: string) => {
      const res = await attempt(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toContain('invalid_token');
    };

    it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s', async (alg) => {
      const token = `${b64({ alg, typ: 'at+jwt', kid })}.${b64(claims())}.`;
      await expectRefused(token);
    });

    it('HS256 signed with the public key (algorithm confusion)', async () => {
      const jwks = (await t.http.get('/.well-known/jwks.json')).body.keys[0];
      const { createPublicKey } = await import('node:crypto');
      const pem = createPublicKey({ key: jwks, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
        .sign(new TextEncoder().encode(pem.toString()));
      await expectRefused(token);
    });

    describe('signed by an attacker key', () => {
      let attacker: Awaited<ReturnType<typeof generateKeyPair>>;
      beforeAll(async () => {
        attacker = await generateKeyPair('ES256', { extractable: true });
      });

      it('with the real kid (bad signature)', async () => {
        await expectRefused(
          await new SignJWT(claims())
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
            .sign(attacker.privateKey),
        );
      });

      it('with an unknown kid', async () => {
        await expectRefused(
          await new SignJWT(claims())
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'unknown-kid' })
            .sign(attacker.privateKey),
        );
      });

      it.each(['../../etc/passwd', "' OR '1'='1", 'x'.repeat(500)])(
        'with kid %s',
        async (badKid) => {
          await expectRefused(
            await new SignJWT(claims())
              .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: badKid })
              .sign(attacker.privateKey),
          );
        },
      );

      it('with its own key embedded as jwk, or pointed to by jku / x5u', async () => {
        const jwk = await exportJWK(attacker.publicKey);
        await expectRefused(
          await new SignJWT(claims())
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', jwk })
            .sign(attacker.privateKey),
        );
        await expectRefused(
          await new SignJWT(claims())
            .setProtectedHeader({
              alg: 'ES256',
              typ: 'at+jwt',
              kid,
              jku: 'http://127.0.0.1:1/jwks.json',
            })
            .sign(attacker.privateKey),
        );
        await expectRefused(
          await new SignJWT(claims())
            .setProtectedHeader({
              alg: 'ES256',
              typ: 'at+jwt',
              kid,
              x5u: 'http://127.0.0.1:1/cert.pem',
            })
            .sign(attacker.privateKey),
        );
        expect(await exportSPKI(attacker.publicKey)).toContain('PUBLIC KEY');
      });
    });

    describe('signed by the real key with bad claims', () => {
      const sign = async (payload: JWTPayload, typ = 'at+jwt') => {
        const { privateKey } = t.app.get(SigningKeysService).signingKey();
        return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ, kid }).sign(privateKey);
      };

      it('is accepted when every claim is right (control)', async () => {
        const res = await attempt(await sign(claims()));
        expect(res.status).toBe(200);
      });

      it.each([['JWT'], ['jwt'], ['application/jwt']])('wrong typ %s', async (typ) => {
        await expectRefused(await sign(claims(), typ));
      });

      it('wrong issuer', async () =>
        expectRefused(await sign(claims({ iss: 'https://evil.example' }))));
      it('wrong audience', async () => expectRefused(await sign(claims({ aud: 'someone-else' }))));
      it('expired beyond the clock tolerance', async () => {
        const now = Math.floor(Date.now() / 1000);
        await expectRefused(
          await sign(claims({ iat: now - 1000, nbf: now - 1000, exp: now - 120 })),
        );
      });
      it('not yet valid', async () => {
        const now = Math.floor(Date.now() / 1000);
        await expectRefused(await sign(claims({ nbf: now + 600, exp: now + 900 })));
      });
      it('issued in the future (iat skew)', async () => {
        const now = Math.floor(Date.now() / 1000);
        await expectRefused(await sign(claims({ iat: now + 600, nbf: now - 10, exp: now + 900 })));
      });
      it('living longer than Gatehouse issues tokens for (TOKEN_TTL_SECONDS)', async () => {
        const now = Math.floor(Date.now() / 1000);
        await expectRefused(await sign(claims({ exp: now + 10 * 365 * 24 * 3600 })));
        await expectRefused(await sign(claims({ iat: now - 400, nbf: now - 400, exp: now + 60 })));
      });
      it('missing jti', async () => expectRefused(await sign(claims({ jti: undefined }))));
      it('sub different from client_id', async () =>
        expectRefused(await sign(claims({ sub: 'cl_other' }))));
      it('for a client that does not exist', async () => {
        await expectRefused(await sign(claims({ sub: 'cl_ghost', client_id: 'cl_ghost' })));
      });
    });

    it.each(['Bearer', 'Basic abc', 'Bearer a b', 'Token xyz', 'Bearer not-a-jwt'])(
      'malformed header %s',
      async (header) => {
        const res = await t.http.get(PROTECTED).set('authorization', header);
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      },
    );
  });

  it('refuses a request with two Authorization headers, whichever comes first', async () => {
    const token = await t.tokenFor(client, 'inventory:read');
    const exchange = (first: string, second: string): Promise<string> =>
      rawExchange(
        t,
        `GET ${PROTECTED} HTTP/1.1\r\nHost: x\r\nAuthorization: ${first}\r\nAuthorization: ${second}\r\nConnection: close\r\n\r\n`,
      );
    for (const answer of [
      await exchange(`Bearer ${token}`, 'Bearer forged'),
      await exchange('Bearer forged', `Bearer ${token}`),
    ]) {
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toContain('Send one Authorization header.');
    }
  });
});
