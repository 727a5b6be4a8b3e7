const DAY_MS = 24 * 60 * 60 * 1000;
const FRAPPE_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRAPPE_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** A wall-clock reading with no zone, as Frappe stores it. */
interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * Converts between instants and the zone-less dates and datetimes of one
 * Frappe site, which stores them in its own time zone (System Settings →
 * Time Zone, ERPNEXT_TIME_ZONE here).
 *
 * A local time that does not exist (skipped when clocks go forward) is read
 * with the offset in force before the change, so it lands as far after the
 * change as it was after the skipped hour began: Berlin 02:30 on the last
 * Sunday of March is 01:30Z (03:30 CEST). A local time that happens twice
 * (clocks go back) is its first occurrence, with the summer offset: Berlin
 * 02:30 on the last Sunday of October is 00:30Z (02:30 CEST). Both are
 * Temporal's "compatible" disambiguation and Python's `fold=0`.
 */
export class FrappeTimeZone {
  private readonly format: Intl.DateTimeFormat;

  /** Throws a RangeError for a zone the runtime does not know; loadConfig checks first. */
  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** A Frappe Datetime (`2026-02-25 14:05:09.123456`) or Date (`2026-02-20`: midnight) as an instant. */
  parse(value: unknown): Date | null {
    if (typeof value !== 'string') return null;
    const m = FRAPPE_DATETIME.exec(value.trim());
    if (!m) return null;
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m;
    const local: LocalTime = {
      year: +y,
      month: +mo,
      day: +d,
      hour: +h,
      minute: +mi,
      second: +s,
      millisecond: Math.floor(Number(frac.padEnd(6, '0')) / 1000),
    };
    if (!isValid(local)) return null;
    return new Date(this.instantOf(local));
  }

  /** The first instant of a local calendar day (`YYYY-MM-DD`). */
  startOfDay(day: string): Date | null {
    return FRAPPE_DAY.test(day) ? this.parse(day) : null;
  }

  /** The local calendar day (`YYYY-MM-DD`) an instant falls on, for Date filters. */
  dayOf(instant: Date): string {
    const t = instant.getTime();
    return new Date(t + this.offsetAt(t)).toISOString().slice(0, 10);
  }

  /**
   * The first local day starting at or after `instant`, so that [from, to) on
   * day starts is the days [ceilDay(from), ceilDay(to)).
   */
  ceilDay(instant: Date): string {
    const day = this.dayOf(instant);
    return this.startOfDay(day)?.getTime() === instant.getTime() ? day : nextDay(day);
  }

  /** Local time minus UTC, in milliseconds, at an instant. */
  offsetAt(instant: number): number {
    const seconds = Math.floor(instant / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(seconds)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      (parts.hour ?? 0) % 24,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return wall - seconds;
  }

  private instantOf(local: LocalTime): number {
    const wall = Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
      local.millisecond,
    );
    // Offsets a day either side bracket any change near this wall time (every zone is within ±14 h).
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    if (before === after) return wall - before;
    const fits = [before, after]
      .map((offset) => ({ offset, instant: wall - offset }))
      .filter(({ offset, instant }) => this.offsetAt(instant) === offset)
      .map(({ instant }) => instant);
    // None fits: the wall time was skipped. Two fit: it happened twice, take the first.
    return fits.length === 0 ? wall - before : Math.min(...fits);
  }
}

/** The calendar day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Rejects readings like 2026-02-30 or 25:00 that Date.UTC would quietly roll over. */
function isValid(t: LocalTime): boolean {
  const date = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
  return (
    date.getUTCFullYear() === t.year &&
    date.getUTCMonth() === t.month - 1 &&
    date.getUTCDate() === t.day &&
    date.getUTCHours() === t.hour &&
    date.getUTCMinutes() === t.minute &&
    date.getUTCSeconds() === t.second
  );
}
