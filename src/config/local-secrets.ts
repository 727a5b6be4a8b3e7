import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './app-config.js';

export interface ServerSecrets {
  /** HMAC key for hashing client secrets and API keys. */
  pepper: Buffer;
  /** AES-256-GCM key that encrypts signing keys at rest. */
  keyEncryptionKey: Buffer;
}

interface SecretsFile {
  pepper: string;
  keyEncryptionKey: string;
}

/**
 * Secrets Gatehouse needs for itself come from the environment. For the
 * embedded default only, missing ones are generated once into
 * `<dataDir>/secrets.json` (mode 0600) so `npm start` works on a fresh clone.
 */
export function resolveServerSecrets(
  config: AppConfig,
  warn: (message: string) => void,
): ServerSecrets {
  if (config.pepper && config.keyEncryptionKey) {
    return {
      pepper: Buffer.from(config.pepper, 'base64'),
      keyEncryptionKey: decodeKey(config.keyEncryptionKey),
    };
  }
  if (config.database !== 'sqlite') {
    throw new Error(
      'GATEHOUSE_PEPPER and GATEHOUSE_KEY_ENCRYPTION_KEY must be set when DATABASE_URL is PostgreSQL',
    );
  }
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: SecretsFile;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as SecretsFile;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    stored = {
      pepper: randomBytes(32).toString('base64'),
      keyEncryptionKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    warn(
      `generated server secrets into ${file} (mode 0600); set GATEHOUSE_PEPPER and ` +
        'GATEHOUSE_KEY_ENCRYPTION_KEY in production',
    );
  }
  return {
    pepper: Buffer.from(config.pepper ?? stored.pepper, 'base64'),
    keyEncryptionKey: decodeKey(config.keyEncryptionKey ?? stored.keyEncryptionKey),
  };
}

function decodeKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('the key-encryption key must decode to 32 bytes');
  return key;
}
