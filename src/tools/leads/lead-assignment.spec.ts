import { describe, expect, it } from '@jest/globals';

import type { SalesRep } from '../../connectors/ports/sales-reps.port.js';
import { assignLead } from './lead-assignment.js';

const rep = (id: string, region: string, productLines: string[]): SalesRep => ({
  id,
  name: `Rep ${id}`,
  email: `${id.toLowerCase()}@example.vn`,
  region,
  productLines,
});

// Deliberately out of id order: assignment must not depend on the order the port returns.
const REPS = [
  rep('REP-003', 'central', ['furniture', 'lighting']),
  rep('REP-001', 'north', ['furniture', 'office']),
  rep('REP-002', 'north', ['lighting', 'kitchen']),
  rep('REP-004', 'south', ['furniture']),
];

const ids = (picks: (SalesRep | null)[]): (string | undefined)[] => picks.map((p) => p?.id);

describe(assignLead.name, () => {
  it('returns null when there is no active rep', () => {
    expect(assignLead({ strategy: 'round_robin', reps: [], leadCount: 3 })).toBeNull();
  });

  describe('round_robin', () => {
    it('rotates over the reps ordered by id, by lead count', () => {
      const picks = [0, 1, 2, 3, 4].map((leadCount) =>
        assignLead({ strategy: 'round_robin', reps: REPS, leadCount }),
      );
      expect(ids(picks)).toEqual(['REP-001', 'REP-002', 'REP-003', 'REP-004', 'REP-001']);
    });
  });

  describe('region', () => {
    it("rotates over the reps of the lead's region", () => {
      const picks = [0, 1, 2].map((leadCount) =>
        assignLead({ strategy: 'region', reps: REPS, leadCount, region: 'north' }),
      );
      expect(ids(picks)).toEqual(['REP-001', 'REP-002', 'REP-001']);
      expect(
        assignLead({ strategy: 'region', reps: REPS, leadCount: 7, region: 'south' })?.id,
      ).toBe('REP-004');
    });

    it('falls back to round robin without a region or without a rep there', () => {
      expect(assignLead({ strategy: 'region', reps: REPS, leadCount: 2 })?.id).toBe('REP-003');
      expect(
        assignLead({ strategy: 'region', reps: [REPS[1]], leadCount: 5, region: 'south' })?.id,
      ).toBe('REP-001');
    });
  });

  describe('product_line', () => {
    it('prefers the reps covering the most of the wanted product lines', () => {
      const pick = (leadCount: number, productLines: string[]): string | undefined =>
        assignLead({ strategy: 'product_line', reps: REPS, leadCount, productLines })?.id;
      expect(pick(0, ['furniture', 'lighting'])).toBe('REP-003');
      expect(pick(1, ['furniture', 'lighting'])).toBe('REP-003');
      expect([0, 1, 2, 3].map((n) => pick(n, ['furniture']))).toEqual([
        'REP-001',
        'REP-003',
        'REP-004',
        'REP-001',
      ]);
      expect(pick(0, ['kitchen'])).toBe('REP-002');
    });

    it('falls back to round robin when no rep covers the lines or none are known', () => {
      const pick = (productLines: string[]): string | undefined =>
        assignLead({ strategy: 'product_line', reps: REPS, leadCount: 1, productLines })?.id;
      expect(pick(['garden'])).toBe('REP-002');
      expect(pick([])).toBe('REP-002');
    });
  });
});
