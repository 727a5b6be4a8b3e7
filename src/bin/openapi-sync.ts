import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.factory.js';
import { toolCatalog } from '../manifest/tool-catalog.js';
import { MANIFEST_FORMATS, toolManifest } from '../manifest/tool-manifests.js';
import { buildOpenApiDocument } from '../openapi/openapi.setup.js';

/**
 * Boots Gatehouse on a throw-away store and writes the committed OpenAPI
 * document and the tool manifests derived from it (`--check`: fails when a
 * committed copy is stale).
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
    const tools = toolCatalog(document);
    return {
      'openapi.json': json(document),
      ...Object.fromEntries(
        MANIFEST_FORMATS.map((format) => [
          `tools.${format}.json`,
          json(toolManifest(tools, format)),
        ]),
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
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
    process.stderr.write(
      `stale: openapi/${stale.join(', openapi/')} — run npm run openapi:sync and commit\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(check ? 'openapi/ is up to date\n' : 'openapi/ written\n');
}

await main();
