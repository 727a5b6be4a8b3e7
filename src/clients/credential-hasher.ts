import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets and API keys are high-entropy random strings, so a keyed
 * hash (HMAC-SHA-256 with a server pepper) is enough: a stolen database
 * without the pepper reveals nothing, and checking costs microseconds.
 */
export class CredentialHasher {
  constructor(private readonly pepper: Buffer) {}

  hash(secret: string): string {
    return createHmac('sha256', this.pepper).update(secret, 'utf8').digest('hex');
  }

  matches(secret: string, storedHash: string): boolean {
    const given = Buffer.from(this.hash(secret), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored);
  }
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Lower-case letters and digits only, for ids that appear inside credentials. */
export function randomId(length: number): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
