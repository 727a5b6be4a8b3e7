import { ERROR_CATALOG, PROBLEM_TYPE_BASE, type ErrorCode } from './error-codes.js';
import type { FieldError } from './gatehouse.error.js';

/** RFC 9457 problem details with Gatehouse's agent-facing extensions (SPEC §4). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  retryable: boolean;
  retryAfterSeconds?: number;
  errors?: FieldError[];
  agentHint: string;
}

export function buildProblem(
  code: ErrorCode,
  requestId: string,
  extra: {
    detail?: string;
    agentHint?: string;
    errors?: FieldError[];
    retryAfterSeconds?: number;
  } = {},
): ProblemBody {
  const def = ERROR_CATALOG[code];
  return {
    type: `${PROBLEM_TYPE_BASE}${code.replace(/_/g, '-')}`,
    title: def.title,
    status: def.status,
    detail: extra.detail ?? def.title,
    instance: requestId,
    code,
    retryable: def.retryable,
    ...(extra.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: extra.retryAfterSeconds }
      : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
    agentHint: extra.agentHint ?? def.agentHint,
  };
}
