import { ValidationPipe } from '@nestjs/common';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { GatehouseError, type FieldError } from '../errors/gatehouse.error.js';
import { constraintMessages } from './constraint-messages.js';
import { cacheValidationMetadata } from './metadata-cache.js';

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
