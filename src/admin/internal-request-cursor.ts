import type { GatehouseError } from '../common/errors/gatehouse.error.js';
import {
  decodePageCursor,
  encodePageCursor,
  invalidPageCursor,
  isCursorTime,
} from '../common/http/page-cursor.js';
import {
  INTERNAL_REQUEST_ID_PATTERN,
  INTERNAL_REQUEST_STATUSES,
  type InternalRequestStatus,
} from '../tools/requests/dto/internal-request.dto.js';
import type { RequestPosition } from '../tools/requests/requests.repository.js';

/** The listing a page belongs to (its status filter) and the last row it returned. */
export interface ReviewCursor extends RequestPosition {
  status: InternalRequestStatus | null;
}

interface CursorPayload {
  v: 1;
  c: number;
  id: string;
  s: string | null;
}

export function encodeReviewCursor(cursor: ReviewCursor): string {
  const payload: CursorPayload = {
    v: 1,
    c: cursor.createdAt.getTime(),
    id: cursor.id,
    s: cursor.status,
  };
  return encodePageCursor(payload);
}

/** Throws `validation_failed` on field `cursor` for anything this module did not produce. */
export function decodeReviewCursor(value: string): ReviewCursor {
  const payload = decodePageCursor(value, isPayload);
  if (!payload) throw invalidReviewCursor('cursor is not a nextCursor of this list');
  return {
    createdAt: new Date(payload.c),
    id: payload.id,
    status: payload.s as InternalRequestStatus | null,
  };
}

export function invalidReviewCursor(message: string): GatehouseError {
  return invalidPageCursor(
    message,
    'List again without cursor to start from the first page, or pass nextCursor unchanged with the same status.',
  );
}

function isPayload(value: unknown): value is CursorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    p.v === 1 &&
    isCursorTime(p.c) &&
    typeof p.id === 'string' &&
    INTERNAL_REQUEST_ID_PATTERN.test(p.id) &&
    (p.s === null || (INTERNAL_REQUEST_STATUSES as readonly unknown[]).includes(p.s))
  );
}
