/**
 * Readers for the values Odoo's JSON-RPC answers carry: many2one fields come
 * as `[id, display_name]` or `false`, unset scalars as `false`, and datetimes
 * as naive `YYYY-MM-DD HH:MM:SS` strings in UTC.
 */

/** A search domain in Odoo's prefix notation: `[['state', '=', 'sale'], '|', [...], [...]]`. */
export type OdooDomain = (string | [string, string, unknown])[];

export type OdooRow = Record<string, unknown>;

export function asRows(value: unknown): OdooRow[] {
  if (!Array.isArray(value)) return [];
  return value.filter((row): row is OdooRow => typeof row === 'object' && row !== null);
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function many2oneId(value: unknown): number | null {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : null;
}

export function many2oneName(value: unknown): string {
  return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : '';
}

export function fromOdooDatetime(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Odoo compares datetimes as naive UTC strings with second precision. */
export function toOdooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The `order` clause and `fields` Odoo needs per call, kept next to the domain. */
export interface SearchReadOptions {
  fields: string[];
  limit?: number;
  order?: string;
}
