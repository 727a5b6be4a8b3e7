import { describe, expect, it } from '@jest/globals';
import { FrappeTimeZone, nextDay } from './erpnext-time.js';

const at = (iso: string): Date => new Date(iso);
const HOUR_MS = 60 * 60 * 1000;

/** The wall time a site in `zone` stores for an instant, as Frappe writes it. */
function frappeWall(zone: FrappeTimeZone, instant: number): string {
  return new Date(instant + zone.offsetAt(instant)).toISOString().slice(0, 19).replace('T', ' ');
}

describe(FrappeTimeZone.name, () => {
  describe('UTC', () => {
    const utc = new FrappeTimeZone('UTC');

    it('reads datetimes and dates as they are, keeping milliseconds of microseconds', () => {
      expect(utc.parse('2026-02-25 14:05:09.123456')).toEqual(at('2026-02-25T14:05:09.123Z'));
      expect(utc.parse('2026-02-25T14:05')).toEqual(at('2026-02-25T14:05:00.000Z'));
      expect(utc.parse('2026-02-20')).toEqual(at('2026-02-20T00:00:00.000Z'));
      expect(utc.offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(0);
    });

    it('gives the calendar day of an instant and the first day starting at or after it', () => {
      expect(utc.dayOf(at('2026-02-21T23:59:59.999Z'))).toBe('2026-02-21');
      expect(utc.ceilDay(at('2026-02-22T00:00:00.000Z'))).toBe('2026-02-22');
      expect(utc.ceilDay(at('2026-02-22T00:00:00.001Z'))).toBe('2026-02-23');
    });

    it('answers null for what is not a Frappe date, including impossible days and hours', () => {
      for (const value of [
        null,
        20260220,
        '',
        'yesterday',
        '2026-02-30',
        '2026-13-01',
        '2026-02-20 24:00',
        '0000-00-00',
      ]) {
        expect(utc.parse(value)).toBeNull();
      }
      expect(utc.startOfDay('2026-02-20 10:00:00')).toBeNull();
    });
  });

  describe('Asia/Ho_Chi_Minh (UTC+7, no daylight saving)', () => {
    const hcm = new FrappeTimeZone('Asia/Ho_Chi_Minh');

    it('reads local wall times seven hours ahead of UTC', () => {
      expect(hcm.parse('2026-02-25 14:05:09.123456')).toEqual(at('2026-02-25T07:05:09.123Z'));
      expect(hcm.parse('2026-02-25 03:00:00')).toEqual(at('2026-02-24T20:00:00.000Z'));
      expect(hcm.offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(7 * HOUR_MS);
    });

    it('starts a day at local midnight, 17:00Z the day before, and days are 24 hours', () => {
      expect(hcm.startOfDay('2026-02-22')).toEqual(at('2026-02-21T17:00:00.000Z'));
      expect(hcm.startOfDay('2026-01-01')).toEqual(at('2025-12-31T17:00:00.000Z'));
      expect(hcm.dayOf(at('2026-02-21T16:59:59.999Z'))).toBe('2026-02-21');
      expect(hcm.dayOf(at('2026-02-21T17:00:00.000Z'))).toBe('2026-02-22');
      expect(hcm.dayOf(at('2025-12-31T17:00:00.000Z'))).toBe('2026-01-01');
    });

    it('maps a UTC range onto the local days whose start it contains', () => {
      // UTC midnight is 07:00 local: that day has already begun, so it is not in [from, …).
      expect(hcm.ceilDay(at('2026-02-22T00:00:00Z'))).toBe('2026-02-23');
      expect(hcm.ceilDay(at('2026-02-21T17:00:00Z'))).toBe('2026-02-22');
      expect(hcm.ceilDay(at('2026-02-21T16:59:59Z'))).toBe('2026-02-22');
    });
  });

  describe('Europe/Berlin (daylight saving)', () => {
    const berlin = new FrappeTimeZone('Europe/Berlin');

    it('uses +01:00 in winter and +02:00 in summer', () => {
      expect(berlin.parse('2026-01-15 12:00:00')).toEqual(at('2026-01-15T11:00:00Z'));
      expect(berlin.parse('2026-07-15 12:00:00')).toEqual(at('2026-07-15T10:00:00Z'));
    });

    it('reads a skipped local time (29 March 2026, 02:00-03:00) with the winter offset', () => {
      expect(berlin.parse('2026-03-29 01:59:59')).toEqual(at('2026-03-29T00:59:59Z'));
      // 02:30 does not exist: read as 02:30+01:00, which the site's clock shows as 03:30.
      expect(berlin.parse('2026-03-29 02:30:00')).toEqual(at('2026-03-29T01:30:00Z'));
      expect(berlin.parse('2026-03-29 02:00:00')).toEqual(at('2026-03-29T01:00:00Z'));
      expect(berlin.parse('2026-03-29 03:00:00')).toEqual(at('2026-03-29T01:00:00Z'));
    });

    it('reads a repeated local time (25 October 2026, 02:00-03:00) as its first occurrence', () => {
      // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): the first is chosen.
      expect(berlin.parse('2026-10-25 02:30:00')).toEqual(at('2026-10-25T00:30:00Z'));
      expect(berlin.parse('2026-10-25 01:59:59')).toEqual(at('2026-10-24T23:59:59Z'));
      expect(berlin.parse('2026-10-25 03:00:00')).toEqual(at('2026-10-25T02:00:00Z'));
    });

    it('round-trips every instant around both changes, except the second pass of the repeated hour', () => {
      for (const [from, to] of [
        ['2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'],
        ['2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'],
      ] as const) {
        for (let t = Date.parse(from); t <= Date.parse(to); t += 15 * 60 * 1000) {
          const secondPass =
            t >= Date.parse('2026-10-25T01:00:00Z') && t < Date.parse('2026-10-25T02:00:00Z');
          expect(berlin.parse(frappeWall(berlin, t))?.getTime()).toBe(secondPass ? t - HOUR_MS : t);
        }
      }
    });

    it('makes the spring day 23 hours and the autumn day 25 hours long', () => {
      expect(berlin.startOfDay('2026-03-29')).toEqual(at('2026-03-28T23:00:00Z'));
      expect(berlin.startOfDay('2026-03-30')).toEqual(at('2026-03-29T22:00:00Z'));
      expect(berlin.startOfDay('2026-10-25')).toEqual(at('2026-10-24T22:00:00Z'));
      expect(berlin.startOfDay('2026-10-26')).toEqual(at('2026-10-25T23:00:00Z'));
      expect(berlin.dayOf(at('2026-03-29T21:59:59.999Z'))).toBe('2026-03-29');
      expect(berlin.dayOf(at('2026-03-29T22:00:00.000Z'))).toBe('2026-03-30');
      expect(berlin.dayOf(at('2026-10-25T22:59:59.999Z'))).toBe('2026-10-25');
      expect(berlin.ceilDay(at('2026-10-25T22:00:00Z'))).toBe('2026-10-26');
      expect(berlin.ceilDay(at('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
    });
  });

  it('starts a day whose midnight is skipped at its first instant (America/Santiago)', () => {
    const santiago = new FrappeTimeZone('America/Santiago');
    // 6 September 2026: 00:00 -04 jumps to 01:00 -03.
    expect(santiago.startOfDay('2026-09-06')).toEqual(at('2026-09-06T04:00:00Z'));
    expect(santiago.dayOf(at('2026-09-06T03:59:59Z'))).toBe('2026-09-05');
    // 5 April 2026: 00:00 -03 falls back to 23:00 -04, so 4 April has 25 hours and one midnight after it.
    expect(santiago.startOfDay('2026-04-04')).toEqual(at('2026-04-04T03:00:00Z'));
    expect(santiago.startOfDay('2026-04-05')).toEqual(at('2026-04-05T04:00:00Z'));
  });

  it('refuses a zone the runtime does not know', () => {
    expect(() => new FrappeTimeZone('Asia/Hanoi_City')).toThrow(RangeError);
  });
});

describe(nextDay.name, () => {
  it('crosses months, years and leap days', () => {
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
