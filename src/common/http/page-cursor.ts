import { GatehouseError } from '../errors/gatehouse.error.js';

/**
 * Keyset cursors for paged listings: base64url JSON, opaque to the caller.
 * Not signed, since a cursor only positions within rows the caller may list
 * anyway; every decoded value is checked by the listing's own guard.
 */
export function encodePageCursor(payload: object): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The payload, or undefined for anything that is not one this listing produced. */
export function decodePageCursor<T>(
  value: string,
  isPayload: (candidate: unknown) => candidate is T,
): T | undefined {
  let candidate: unknown;
  try {
    candidate = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return isPayload(candidate) ? candidate : undefined;
}

/** `validation_failed` on field `cursor`, with how to recover in the agent hint. */
export function invalidPageCursor(message: string, agentHint: string): GatehouseError {
  return new GatehouseError('validation_failed', {
    detail: 'The cursor cannot be used with this request.',
    agentHint,
    errors: [{ field: 'cursor', message }],
  });
}

/** A millisecond timestamp a Date can hold. */
export function isCursorTime(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    !Number.isNaN(new Date(value).getTime())
  );
}

/**
 * A page from `limit + 1` rows read in cursor order: the extra row only tells
 * whether another page exists, so a listing needs no COUNT.
 */
export function keysetPage<R, I>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => I,
  cursorAfter: (last: R) => string,
): { items: I[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last) : null,
  };
}
