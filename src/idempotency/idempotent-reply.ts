import type { FastifyReply } from 'fastify';
import type { IdempotentResult } from './idempotency.service.js';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Applies an idempotent write's status (and the replay marker) to the HTTP reply; returns the body. */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>): T {
  void reply.status(result.status);
  if (result.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return result.body;
}
