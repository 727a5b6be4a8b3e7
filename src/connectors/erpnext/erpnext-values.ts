import { normalizeSearchText } from '../../common/text/normalize-search.js';
import type { FrappeDoc } from './erpnext-rest.client.js';

/** A text field; Frappe sends null for empty Link and Data fields. */
export function text(doc: FrappeDoc, field: string): string {
  const value = doc[field];
  return typeof value === 'string' ? value : '';
}

export function optionalText(doc: FrappeDoc, field: string): string | null {
  const value = text(doc, field).trim();
  return value === '' ? null : value;
}

/** Float and Int fields arrive as numbers; older sites and custom scripts sometimes send strings. */
export function quantity(doc: FrappeDoc, field: string): number {
  const value = doc[field];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : 0;
  return Number.isFinite(n) ? n : 0;
}

export function childRows(doc: FrappeDoc, table: string): FrappeDoc[] {
  const rows = doc[table];
  if (!Array.isArray(rows)) return [];
  return rows
    .filter((row): row is FrappeDoc => typeof row === 'object' && row !== null)
    .sort((a, b) => quantity(a, 'idx') - quantity(b, 'idx'));
}

export type Region = 'north' | 'central' | 'south';

/** When neither a document nor its ancestors name a region. */
export const UNKNOWN_REGION = 'unknown';

const ENGLISH: readonly (readonly [RegExp, Region])[] = [
  [/\bnorth(ern)?\b/, 'north'],
  [/\bcentral\b/, 'central'],
  [/\bsouth(ern)?\b/, 'south'],
];
// "Việt Nam" must not read as "nam" (south): Vietnamese names count only as "miền X", "X bộ" or alone.
const VIETNAMESE: readonly (readonly [RegExp, Region])[] = [
  [/\bmien bac\b|^bac bo\b|^bac$/, 'north'],
  [/\bmien trung\b|^trung bo\b|^trung$/, 'central'],
  [/\bmien nam\b|^nam bo\b|^nam$/, 'south'],
];

/** The region a Territory or warehouse group name stands for, e.g. "Miền Bắc" or "North Vietnam". */
export function regionOfName(name: string): Region | null {
  const folded = normalizeSearchText(name.replace(/ - [^-]+$/, ''));
  for (const [pattern, region] of [...ENGLISH, ...VIETNAMESE]) {
    if (pattern.test(folded)) return region;
  }
  return null;
}

/**
 * Resolves regions in a tree (Territory, or Warehouse groups): a node's region
 * is that of the nearest node, itself first, whose name names one.
 */
export class RegionTree {
  private readonly parents = new Map<string, string | null>();
  private readonly resolved = new Map<string, Region | null>();

  constructor(nodes: readonly { name: string; parent: string | null }[]) {
    for (const node of nodes) this.parents.set(node.name, node.parent);
  }

  regionOf(name: string | null): string {
    return (name === null ? null : this.resolve(name, 0)) ?? UNKNOWN_REGION;
  }

  /** Every node whose region is `region`, for an `in` filter. */
  namesIn(region: string): string[] {
    return [...this.parents.keys()].filter((name) => this.regionOf(name) === region);
  }

  private resolve(name: string, depth: number): Region | null {
    const known = this.resolved.get(name);
    if (known !== undefined) return known;
    const own = regionOfName(name);
    const parent = this.parents.get(name) ?? null;
    // Depth bounds a cycle in corrupt tree data.
    const region = own ?? (parent !== null && depth < 32 ? this.resolve(parent, depth + 1) : null);
    this.resolved.set(name, region);
    return region;
  }
}
