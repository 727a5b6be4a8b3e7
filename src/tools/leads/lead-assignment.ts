import type { AppConfig } from '../../config/app-config.js';
import type { SalesRep } from '../../connectors/ports/sales-reps.port.js';

export type LeadAssignmentStrategy = AppConfig['leadAssignment'];

export interface LeadAssignmentInput {
  strategy: LeadAssignmentStrategy;
  /** Active reps, in any order. */
  reps: readonly SalesRep[];
  /** How many leads exist before this one: the round-robin position. */
  leadCount: number;
  region?: string | null;
  /** Product lines of the SKUs the lead is interested in. */
  productLines?: readonly string[];
}

/**
 * Picks the sales rep for a new lead (SPEC §5.6). Every strategy rotates over
 * its candidates by lead count, so work spreads evenly; when a strategy has no
 * candidate (unknown region, no matching product line) it falls back to round
 * robin over all reps. Null only when there is no active rep.
 */
export function assignLead(input: LeadAssignmentInput): SalesRep | null {
  const reps = [...input.reps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (reps.length === 0) return null;
  const preferred = candidates(input, reps);
  const pool = preferred.length > 0 ? preferred : reps;
  const position = Math.max(0, Math.floor(input.leadCount));
  return pool[position % pool.length] ?? null;
}

function candidates(input: LeadAssignmentInput, reps: SalesRep[]): SalesRep[] {
  switch (input.strategy) {
    case 'round_robin':
      return reps;
    case 'region':
      return input.region ? reps.filter((rep) => rep.region === input.region) : [];
    case 'product_line':
      return bestCoverage(reps, new Set(input.productLines ?? []));
  }
}

/** The reps covering the most of the wanted product lines (at least one). */
function bestCoverage(reps: SalesRep[], wanted: ReadonlySet<string>): SalesRep[] {
  let best = 0;
  let pool: SalesRep[] = [];
  for (const rep of reps) {
    const covered = rep.productLines.filter((line) => wanted.has(line)).length;
    if (covered > best) {
      best = covered;
      pool = [rep];
    } else if (covered > 0 && covered === best) {
      pool.push(rep);
    }
  }
  return pool;
}
