import type { ValidationError } from 'class-validator';

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
