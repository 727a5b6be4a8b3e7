import { ERROR_CATALOG, type ErrorCode } from './error-codes.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface GatehouseErrorOptions {
  detail?: string;
  agentHint?: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
}

/** The one domain exception: a stable code from ERROR_CATALOG plus details for this case. */
export class GatehouseError extends Error {
  override name = 'GatehouseError';

  constructor(
    readonly code: ErrorCode,
    readonly options: GatehouseErrorOptions = {},
  ) {
    super(options.detail ?? ERROR_CATALOG[code].title);
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}
