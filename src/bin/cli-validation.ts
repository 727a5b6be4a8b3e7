import { GatehouseError, type FieldError } from '../common/errors/gatehouse.error.js';
import { createValidationPipe } from '../common/validation/validation.pipe.js';

/** The admin API's own pipe: unknown fields rejected, no implicit type conversion. */
const pipe = createValidationPipe();

/** A `validation_failed` error whose detail names every bad field. */
export function invalidFields(errors: FieldError[]): GatehouseError {
  return new GatehouseError('validation_failed', {
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  });
}

/**
 * Validates CLI input against the DTO the admin HTTP API declares for the same
 * operation, through the same ValidationPipe, so the CLI accepts exactly what
 * the API accepts and names each field it refuses.
 */
export async function validateInput<T extends object>(
  dto: new () => T,
  input: Record<string, unknown>,
): Promise<T> {
  try {
    return (await pipe.transform(input, { type: 'body', metatype: dto })) as T;
  } catch (error) {
    if (error instanceof GatehouseError && error.options.errors) {
      throw invalidFields(error.options.errors);
    }
    throw error;
  }
}

/**
 * `{ [field]: value }` for an option that takes a JSON object, `{}` when the
 * option was not given; what the object may hold is the DTO's business.
 */
export function jsonObjectOption(
  field: string,
  text: string | undefined,
  example: string,
): Record<string, Record<string, unknown>> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidFields([{ field, message: `must be a JSON object, e.g. ${example}` }]);
  }
  return { [field]: value as Record<string, unknown> };
}
