import { describe, expect, it } from '@jest/globals';
import { inspectJson, MAX_JSON_DEPTH } from './json-body.js';

describe('inspectJson', () => {
  it('brings every string in objects and arrays to NFC, in place', () => {
    const decomposed = 'Lân Võ'.normalize('NFD');
    const body = { name: decomposed, tags: [decomposed, 7], nested: { note: decomposed } };
    expect(inspectJson(body, MAX_JSON_DEPTH)).toBeUndefined();
    const composed = 'Lân Võ'.normalize('NFC');
    expect(body).toEqual({ name: composed, tags: [composed, 7], nested: { note: composed } });
  });

  it('names the field holding a control character; tab and line breaks are text', () => {
    expect(inspectJson({ a: 'one\ttwo\r\nthree' }, MAX_JSON_DEPTH)).toBeUndefined();
    expect(inspectJson({ a: { b: ['x', 'y\u0000'] } }, MAX_JSON_DEPTH)).toEqual({
      problem: 'control',
      field: 'a.b.1',
    });
    expect(inspectJson({ a: 'bell\u0007' }, MAX_JSON_DEPTH)).toEqual({
      problem: 'control',
      field: 'a',
    });
    expect(inspectJson({ 'k\u001b': 1 }, MAX_JSON_DEPTH)).toEqual({
      problem: 'control',
      field: '(body)',
    });
  });

  it('names a lone surrogate before anything is normalised, and refuses depth', () => {
    expect(inspectJson({ a: '\ud800' }, MAX_JSON_DEPTH)).toEqual({
      problem: 'unicode',
      field: 'a',
    });
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) deep = { d: deep };
    expect(inspectJson(deep, MAX_JSON_DEPTH)).toEqual({ problem: 'depth', field: '(body)' });
  });
});
