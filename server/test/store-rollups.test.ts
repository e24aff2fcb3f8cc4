import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeView } from '@hqwatch/shared';
import { decodeHour, encodeHour, type MinuteStats } from '../src/store/rollup-codec.ts';
import type { Store } from '../src/store/store.ts';
import { eventually } from './support/app.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

const BASE = Date.parse('2026-03-02T08:00:00.000Z');
const at = (ms: number) => new Date(BASE + ms).toISOString();
const tcp = (ok: boolean, latencyMs: number | null): ProbeView => ({ kind: 'tcp', target: '10.1.0.10:4308', ok, latencyMs });
const sip = (ok: boolean, latencyMs: number | null): ProbeView => ({ kind: 'sip', target: '10.1.0.10:5441', ok, latencyMs });

/** Latencies come back to within 0.6% (the log scale steps by about 1%); counts exactly. */
function expectClose(actual: MinuteStats[], expected: MinuteStats[]): void {
  expect(actual.map((m) => [m.minute, m.samples, m.failures])).toEqual(expected.map((m) => [m.minute, m.samples, m.failures]));
  actual.forEach((m, i) => {
    for (const key of ['min', 'avg', 'max'] as const) {
      const want = expected[i]![key];
      if (want === null) expect(m[key]).toBeNull();
      else expect(Math.abs(m[key]! - want)).toBeLessThanOrEqual(want * 0.006 + 0.001);
    }
  });
}

describe('rollup encoding', () => {
  it('gives back every minute of an hour, latencies to within 0.6%, in a few bytes a minute', () => {
    const hour = Math.floor(BASE / 3_600_000);
    const minutes: MinuteStats[] = Array.from({ length: 60 }, (_, i) => ({
      minute: hour * 60 + i,
      samples: 30,
      failures: i % 7 === 0 ? 30 : i % 5,
      min: i % 7 === 0 ? null : 0.05 + i / 10,
      avg: i % 7 === 0 ? null : 4.5 + (i % 3),
      max: i % 7 === 0 ? null : 950.3 + i,
    }));
    const kept = minutes.filter((_, i) => i !== 13);
    const blob = encodeHour(hour, kept);
    expectClose(decodeHour(hour, blob), kept);
    expect(blob.length).toBeLessThan(60 * 5);
  });

  it('still reads hours written in tenths of a millisecond', () => {
    const hour = 7;
    // count 1, offset 0, samples 30, failures 0, timed, then min/avg/max as zigzag deltas: 12, 45, 950
    const legacy = Buffer.from([0, 1, 0, 30, 0, 1, 24, 90, 0xec, 0x0e]);
    expect(decodeHour(hour, legacy)).toEqual([{ minute: 420, samples: 30, failures: 0, min: 1.2, avg: 4.5, max: 95 }]);
  });
});

describeStores('probe latency rollups', (backend) => {
  let place: StorePlace | null = null;
  afterEach(async () => {
    await place?.cleanup();
    place = null;
  });

  /** Rows the rollup table holds, through the store's own connection. */
  const rows = async (store: Store) => (await store.probeSeries('primary', at(-3_600_000), at(3_600_000))).flatMap((s) => s.minutes).length;

  it('keeps min, avg, max and loss per probe per minute, written once the minute is over', async () => {
    place = await backend.place();
    const store = await place.open();
    store.recordProbes('primary', [tcp(true, 2), sip(true, 10)], at(0));
    store.recordProbes('primary', [tcp(true, 4), sip(false, null)], at(20_000));
    store.recordProbes('primary', [tcp(true, 9), sip(false, null)], at(40_000));
    await store.flush();
    expect(await rows(store)).toBe(0); // still in memory
    store.recordProbes('primary', [tcp(false, null), sip(true, 12)], at(60_000));
    await store.flush();
    expect(await rows(store)).toBe(2);

    const series = await store.probeSeries('primary', at(0), at(120_000));
    const minute = Math.floor(BASE / 60_000);
    expect(series.map((s) => s.probe)).toEqual([
      { nodeId: 'primary', kind: 'tcp', target: '10.1.0.10:4308' },
      { nodeId: 'primary', kind: 'sip', target: '10.1.0.10:5441' },
    ]);
    expectClose(series[0]!.minutes, [{ minute, samples: 3, failures: 0, min: 2, avg: 5, max: 9 }]);
    expectClose(series[1]!.minutes, [{ minute, samples: 3, failures: 2, min: 10, avg: 10, max: 10 }]);
    await store.close();
  });

  it('counts a minute split by a restart once, merging both halves', async () => {
    place = await backend.place();
    const first = await place.open();
    first.recordProbes('dvs-a', [tcp(true, 2)], at(0));
    first.recordProbes('dvs-a', [tcp(true, 4)], at(10_000));
    await first.close();
    const second = await place.open();
    second.recordProbes('dvs-a', [tcp(true, 12)], at(30_000));
    second.recordProbes('dvs-a', [tcp(false, null)], at(50_000));
    await second.close();
    const reopened = await place.open();
    const [series] = await reopened.probeSeries('dvs-a', at(0), at(60_000));
    expectClose(series!.minutes, [{ minute: Math.floor(BASE / 60_000), samples: 4, failures: 1, min: 2, avg: 6, max: 12 }]);
    await reopened.close();
  });

  it('deletes rollups older than the retention, and only rollups', async () => {
    place = await backend.place();
    const store = await place.open({ retentionDays: 2 });
    const day = 86_400_000;
    store.recordProbes('primary', [tcp(true, 1)], at(0));
    await store.append(
      [{ type: 'incident-opened', at: at(1000), incidentId: 'inc-old', startedAt: at(1000) }],
      {
        hq: { state: 'hq-down', since: at(0), window: null, incident: { id: 'inc-old', startedAt: at(1000), normalRounds: 0 } },
        nodes: {},
      },
      at(1000),
    );
    store.recordProbes('primary', [tcp(true, 1)], at(day));
    await store.flush();
    store.recordProbes('primary', [tcp(true, 1)], at(day + 60_000));
    await store.flush();
    expect((await store.probeSeries('primary', at(0), at(3 * day)))[0]!.minutes).toHaveLength(2);
    store.recordProbes('primary', [tcp(true, 1)], at(3 * day + 60_000));
    await store.flush();
    const left = (await store.probeSeries('primary', at(0), at(4 * day)))[0]!.minutes.map((m) => m.minute * 60_000 - BASE);
    expect(left).toEqual([day, day + 60_000]);
    expect((await store.listIncidents({ limit: 5, offset: 0 }, { sites: [] } as never)).incidents.map((i) => i.id)).toEqual(['inc-old']);
    await store.close();
  });

  it('keeps the minutes a failed write could not store and writes them once the database is back', async () => {
    place = await backend.place();
    const faulty = await place.openFaulty();
    const { store } = faulty;
    store.recordProbes('primary', [tcp(true, 2)], at(0));
    await faulty.fail();
    store.recordProbes('primary', [tcp(true, 3)], at(60_000));
    await store.flush();
    expect(store.status()).toMatchObject({ ok: false });
    await faulty.heal();
    store.recordProbes('primary', [tcp(true, 4)], at(120_000));
    await store.flush();
    await eventually(() => store.status().ok, 10_000, 'the store healthy again');
    const [series] = await store.probeSeries('primary', at(0), at(180_000));
    expect(series!.minutes.map((m) => [m.minute * 60_000 - BASE, m.samples])).toEqual([
      [0, 1],
      [60_000, 1],
    ]);
    await faulty.close();
  });
});
