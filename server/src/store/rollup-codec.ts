import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** One probe's figures for one minute. Latencies in milliseconds, null when no attempt succeeded. */
export interface MinuteStats {
  /** Minutes since the epoch. */
  minute: number;
  samples: number;
  failures: number;
  min: number | null;
  avg: number | null;
  max: number | null;
}

/** First byte of a blob: bit 0 says deflated, the rest which latency scale it uses. */
const DEFLATED = 1;
const LINEAR_TENTHS = 0; // written before the log scale: tenths of a millisecond
const LOG_SCALE = 2;

/**
 * Latencies are kept on a log scale in steps of about 1% (at most 0.6% off) above a millisecond and
 * of a few microseconds below: per-minute figures are read on charts, where a tenth of a millisecond
 * on a 60 ms WAN link is noise, and noise is what costs bytes.
 */
function toUnits(ms: number): number {
  return Math.round(Math.log1p(Math.max(0, ms) * 10) * 100);
}

function fromUnits(units: number, scale: number): number {
  if (scale === LINEAR_TENTHS) return units / 10;
  const ms = Math.expm1(units / 100) / 10;
  return Number(ms.toPrecision(4));
}

class Writer {
  private bytes: number[] = [];
  varint(value: number): void {
    let v = Math.max(0, Math.floor(value));
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  signed(value: number): void {
    this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly bytes: Buffer) {}
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.bytes.length) throw new RangeError('truncated rollup');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
  signed(): number {
    const v = this.varint();
    return v % 2 === 1 ? -(v + 1) / 2 : v / 2;
  }
}

/**
 * Packs one hour of one probe's minutes column by column (offsets, counts, then min, avg and max
 * each as differences from the minute before) and deflates it when that is smaller. Neighbouring
 * minutes look alike, so the columns deflate to a few bytes a minute.
 */
export function encodeHour(hour: number, minutes: readonly MinuteStats[]): Buffer {
  const w = new Writer();
  const sorted = [...minutes].sort((a, b) => a.minute - b.minute);
  w.varint(sorted.length);
  let prevOffset = 0;
  for (const m of sorted) {
    const offset = m.minute - hour * 60;
    w.varint(offset - prevOffset);
    prevOffset = offset;
  }
  for (const m of sorted) w.varint(m.samples);
  for (const m of sorted) w.varint(m.failures);
  const timed = sorted.filter((m) => m.min !== null && m.avg !== null && m.max !== null);
  const hasLatency = new Set(timed);
  for (const m of sorted) w.varint(hasLatency.has(m) ? 1 : 0);
  for (const key of ['min', 'avg', 'max'] as const) {
    let prev = 0;
    for (const m of timed) {
      const units = toUnits(m[key]!);
      w.signed(units - prev);
      prev = units;
    }
  }
  const raw = w.buffer();
  const deflated = deflateRawSync(raw, { level: 9 });
  return deflated.length < raw.length
    ? Buffer.concat([Buffer.of(LOG_SCALE | DEFLATED), deflated])
    : Buffer.concat([Buffer.of(LOG_SCALE), raw]);
}

/** The minutes {@link encodeHour} packed (in either latency scale). */
export function decodeHour(hour: number, blob: Buffer): MinuteStats[] {
  const format = blob[0] ?? 0;
  const scale = format & DEFLATED ? format - DEFLATED : format;
  const body = blob.subarray(1);
  const r = new Reader(format & DEFLATED ? inflateRawSync(body) : body);
  const n = r.varint();
  const out: MinuteStats[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    offset += r.varint();
    out.push({ minute: hour * 60 + offset, samples: 0, failures: 0, min: null, avg: null, max: null });
  }
  for (const m of out) m.samples = r.varint();
  for (const m of out) m.failures = r.varint();
  const timed: MinuteStats[] = [];
  for (const m of out) if (r.varint() === 1) timed.push(m);
  for (const key of ['min', 'avg', 'max'] as const) {
    let prev = 0;
    for (const m of timed) {
      prev += r.signed();
      m[key] = fromUnits(prev, scale);
    }
  }
  return out;
}

/** Two partial counts of the same minute (before and after a restart) as one. */
export function mergeMinute(a: MinuteStats, b: MinuteStats): MinuteStats {
  const okA = a.samples - a.failures;
  const okB = b.samples - b.failures;
  const both = a.avg !== null && b.avg !== null;
  return {
    minute: a.minute,
    samples: a.samples + b.samples,
    failures: a.failures + b.failures,
    min: both ? Math.min(a.min!, b.min!) : (a.min ?? b.min),
    max: both ? Math.max(a.max!, b.max!) : (a.max ?? b.max),
    avg: both ? (a.avg! * okA + b.avg! * okB) / Math.max(1, okA + okB) : (a.avg ?? b.avg),
  };
}
