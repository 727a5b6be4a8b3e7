import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ERROR_CATALOG } from './error-codes.js';

describe('ERROR_CATALOG', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it.each(Object.entries(ERROR_CATALOG))(
    'documents %s with its status in docs/errors.md',
    (code, def) => {
      const cells = doc
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .find((row) => row[1] === `\`${code}\``);
      expect(cells).toBeDefined();
      expect(cells?.[2]).toBe(String(def.status));
      expect(cells?.[3]).toBe(def.retryable ? 'yes' : 'no');
    },
  );

  it.each(Object.entries(ERROR_CATALOG))('gives %s a one-sentence agent hint', (_code, def) => {
    expect(def.agentHint.length).toBeGreaterThan(20);
    expect(def.agentHint.length).toBeLessThan(240);
  });
});
