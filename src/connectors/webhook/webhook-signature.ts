import { createHmac } from 'node:crypto';
import { ConfigError } from '../../config/app-config.js';

/** Standard Webhooks' prefix for a base64 secret; without it the secret's UTF-8 bytes are the key. */
const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks asks for at least 24 random bytes. */
const MIN_KEY_BYTES = 24;

/**
 * The HMAC key for NOTIFY_WEBHOOK_SECRET. A `whsec_<base64>` secret is decoded
 * as Standard Webhooks libraries do, so receivers can verify with one as is;
 * any other secret is used as its UTF-8 bytes.
 */
export function webhookKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, 'utf8');
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length < MIN_KEY_BYTES) {
    throw new ConfigError(
      `NOTIFY_WEBHOOK_SECRET: a ${SECRET_PREFIX} secret must be base64 of at least ${MIN_KEY_BYTES} bytes`,
    );
  }
  return key;
}

/**
 * `webhook-signature` per Standard Webhooks: `v1,` + base64 HMAC-SHA-256 over
 * `{webhook-id}.{webhook-timestamp}.{body}`, with the exact bytes sent.
 */
export function signWebhook(key: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  return `v1,${mac.toString('base64')}`;
}
