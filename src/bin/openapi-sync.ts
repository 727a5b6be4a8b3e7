import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.factory.js';
import { buildOpenApiDocument } from '../openapi/openapi.setup.js';

/**
 * Boots Gatehouse on a throw-away store and writes the committed OpenAPI
 * document (`--check`: fails when the committed copy is stale).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'openapi');

export async function generatedArtifacts(): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-openapi-'));
  try {
    const { app } = await createApp({
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: `file:${path.join(dir, 'gatehouse.db')}`,
        SEED_DEMO_DATA: 'false',
        OUTBOX_ENABLED: 'false',
        GATEHOUSE_PEPPER: Buffer.alloc(32, 1).toString('base64'),
        GATEHOUSE_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
      },
      logger: false,
    });
    const document = buildOpenApiDocument(app);
    await app.close();
    return { 'openapi.json': `${JSON.stringify(document, null, 2)}\n` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generatedArtifacts();
  const stale: string[] = [];
  mkdirSync(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(outDir, name);
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = '';
    }
    if (current === content) continue;
    if (check) stale.push(name);
    else writeFileSync(target, content);
  }
  if (stale.length > 0) {
    process.stderr.write(`stale: openapi/${stale.join(', openapi/')} — run npm run openapi:sync and commit\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(check ? 'openapi/ is up to date\n' : 'openapi/ written\n');
}

await main();
