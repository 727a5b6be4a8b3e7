import { describe, expect, it } from '@jest/globals';
import { GatehouseError } from '../../common/errors/gatehouse.error.js';
import { decodeCursor, encodeCursor, type DeliveryCursor } from './delivery-cursor.js';

const cursor: DeliveryCursor = {
  windowStart: new Date('2026-11-02T01:00:00Z'),
  id: 'DLV-000101',
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-08T00:00:00Z'),
  region: 'south',
};

function rejection(value: string): GatehouseError {
  try {
    decodeCursor(value);
  } catch (error) {
    if (error instanceof GatehouseError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be rejected');
}

describe('delivery cursor', () => {
  it('round-trips position and query', () => {
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ ...cursor, region: null })).region).toBeNull();
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    ['JSON of the wrong shape', Buffer.from('{"v":1,"id":"x"}').toString('base64url')],
    [
      'another version',
      Buffer.from('{"v":2,"ws":1,"id":"a","f":1,"t":2,"r":null}').toString('base64url'),
    ],
    ['an empty value', ''],
  ])('rejects %s on field cursor', (_name, value) => {
    const error = rejection(value);
    expect(error.code).toBe('validation_failed');
    expect(error.options.errors?.[0]?.field).toBe('cursor');
  });
});
