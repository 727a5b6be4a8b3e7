import type { GatehouseError } from '../../common/errors/gatehouse.error.js';
import {
  decodePageCursor,
  encodePageCursor,
  invalidPageCursor,
  isCursorTime,
} from '../../common/http/page-cursor.js';

/** The query a page belongs to and the last (windowStart, id) it returned. */
export interface DeliveryCursor {
  windowStart: Date;
  id: string;
  from: Date;
  to: Date;
  region: string | null;
}

interface CursorPayload {
  v: 1;
  ws: number;
  id: string;
  f: number;
  t: number;
  r: string | null;
}

/** Opaque to the agent (see page-cursor.ts). */
export function encodeCursor(cursor: DeliveryCursor): string {
  const payload: CursorPayload = {
    v: 1,
    ws: cursor.windowStart.getTime(),
    id: cursor.id,
    f: cursor.from.getTime(),
    t: cursor.to.getTime(),
    r: cursor.region,
  };
  return encodePageCursor(payload);
}

/** Throws `validation_failed` on field `cursor` for anything this module did not produce. */
export function decodeCursor(value: string): DeliveryCursor {
  const payload = decodePageCursor(value, isPayload);
  if (!payload) throw invalidCursor('cursor is not a value returned by list_deliveries');
  return {
    windowStart: new Date(payload.ws),
    id: payload.id,
    from: new Date(payload.f),
    to: new Date(payload.t),
    region: payload.r,
  };
}

export function invalidCursor(message: string): GatehouseError {
  return invalidPageCursor(
    message,
    'Call list_deliveries again without cursor to start from the first page, or pass nextCursor unchanged together with the same from, to and region.',
  );
}

function isPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    p.v === 1 &&
    isCursorTime(p.ws) &&
    typeof p.id === 'string' &&
    p.id.length > 0 &&
    p.id.length <= 64 &&
    isCursorTime(p.f) &&
    isCursorTime(p.t) &&
    (p.r === null || typeof p.r === 'string')
  );
}
