/**
 * Identifier formats and input helpers shared by every tool DTO, declared once.
 * Write tools take identifiers exactly as shown; read tools also accept lower
 * case (see `caseInsensitive`) and the service upper-cases them.
 */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,39}$/;
export const ORDER_NUMBER_PATTERN = /^SO-\d{4}-\d{6}$/;
export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
/**
 * Characters that show nothing: spaces and Unicode's default-ignorable code
 * points (soft hyphen, zero-width spaces and joiners, bidi controls, variation
 * selectors, fillers, BOM, tag characters).
 */
export const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}]/u;
/**
 * At least one visible character: text of invisible characters only looks
 * blank to the colleague who reads it.
 */
export const NOT_BLANK = /[^\s\p{Default_Ignorable_Code_Point}]/u;

/** The same format, case-insensitive; `.source` (what OpenAPI shows) is unchanged. */
export function caseInsensitive(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, 'i');
}

/** class-transformer `@Transform` that trims strings and leaves other values alone. */
export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/**
 * class-transformer `@Transform` for an integer query parameter: text written
 * as a decimal integer ("12") becomes a number; any other text stays text, so
 * `@IsInt` refuses it. (`@Type(() => Number)` would read "0x10" as 16, "1e1"
 * as 10 and " 5" as 5.)
 */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
