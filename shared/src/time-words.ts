/**
 * Times as a postmortem prints them: in the reader's time zone with UTC beside, "09:01:06 (08:01:06
 * UTC)", or in UTC alone. The date is said once (the incident's first day); a time on another day
 * carries its own ("3 Mar 00:10:02").
 */

const UTC = 'UTC';

/** The IANA zone as `Intl` knows it ("Europe/Berlin"), or null when there is no such zone. */
export function canonicalTimeZone(zone: string): string | null {
  if (zone.length === 0 || zone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export interface TimeWords {
  /** The zone times are said in ("UTC" when none was asked for). */
  zone: string;
  /** Whether a UTC time is said beside each local one. */
  utcBeside: boolean;
  /** "09:01:06 (08:01:06 UTC)"; with the date when not on the first day. */
  time(iso: string): string;
  /** "Monday, 2 March 2026": the first day, in the zone. */
  day(iso: string): string;
  /** "Europe/Berlin (GMT+01:00), UTC beside" or "UTC". */
  zoneText(iso: string): string;
}

function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options });
}

/** Times in `zone` (null or "UTC": UTC alone), dated relative to `firstDay` (an ISO time in it). */
export function timeWords(zone: string | null, firstDay: string): TimeWords {
  const local = zone === null ? UTC : (canonicalTimeZone(zone) ?? UTC);
  const utcBeside = local !== UTC && local !== 'Etc/UTC';
  const clock = (z: string) => formatter(z, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const dayKey = (z: string) => formatter(z, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const short = (z: string) => formatter(z, { day: 'numeric', month: 'short' });
  const long = formatter(local, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const offset = formatter(local, { timeZoneName: 'longOffset' });
  const fmt = { local: clock(local), utc: clock(UTC) };
  const keys = { local: dayKey(local), utc: dayKey(UTC) };
  const shorts = { local: short(local), utc: short(UTC) };
  const first = new Date(firstDay);
  const firstKey = { local: keys.local.format(first), utc: keys.utc.format(first) };
  const say = (side: 'local' | 'utc', date: Date) => {
    const text = fmt[side].format(date);
    return keys[side].format(date) === firstKey[side] ? text : `${shorts[side].format(date)} ${text}`;
  };
  return {
    zone: local,
    utcBeside,
    time(iso) {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return utcBeside ? `${say('local', date)} (${say('utc', date)} UTC)` : `${say('local', date)} UTC`;
    },
    day: (iso) => long.format(new Date(iso)),
    zoneText(iso) {
      if (!utcBeside) return 'UTC';
      const name = offset.formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? '';
      return `${local}${name ? ` (${name})` : ''}, with UTC beside`;
    },
  };
}
