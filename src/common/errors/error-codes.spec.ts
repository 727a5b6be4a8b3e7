import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ERROR_CATALOG } from './error-codes.js';

describe('ERROR_CATALOG', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.entries(ERROR_CATALOG))(
    'documents %s with its status in docs/errors.md',
    (code, def) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${def.status} |`);
      expect(row).toContain(def.retryable ? '| yes |' : '| no |');
    },
  );

  it.each(Object.entries(ERROR_CATALOG))('gives %s a one-sentence agent hint', (_code, def) => {
    expect(def.agentHint.length).toBeGreaterThan(20);
    expect(def.agentHint.length).toBeLessThan(240);
  });
});
