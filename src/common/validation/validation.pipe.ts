import { ValidationPipe } from '@nestjs/common';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { GatehouseError, type FieldError } from '../errors/gatehouse.error.js';
import { cacheValidationMetadata } from './metadata-cache.js';

/** Rules about a value's type: one it breaks makes its range rules fail too, and say nothing more. */
const TYPE_RULES = ['isInt', 'isNumber', 'isBoolean', 'isString'];

/**
 * The messages worth showing for one value: only the type rule when the
 * value is of the wrong type ("limit must be an integer number", not also
 * "must not be less than 1" and "must not be greater than 50").
 */
export function constraintMessages(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  const typeRule = TYPE_RULES.find((rule) => rule in constraints);
  return typeRule ? [constraints[typeRule]] : Object.values(constraints);
}

/** Flattens class-validator's tree into `{field, message}` pairs with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = constraintMessages(e).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/**
 * Gatehouse declares no asynchronous constraint, so validation runs
 * synchronously: class-validator's asynchronous `validate` wraps every
 * constraint of every request in promises for nothing.
 */
class SyncValidationPipe extends ValidationPipe {
  protected override validate(object: object, options?: ValidatorOptions): ValidationError[] {
    return validateSync(object, options);
  }
}

/**
 * Validation for every route: unknown fields are rejected, values are
 * converted to the DTO's declared types only where the DTO says so.
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new SyncValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new GatehouseError('validation_failed', {
        detail: 'One or more fields are invalid.',
        errors: flattenValidationErrors(errors),
      }),
  });
}
