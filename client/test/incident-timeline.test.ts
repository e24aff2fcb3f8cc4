import { describe, expect, it } from 'vitest';
import { annotationMarks, buildTimeline, segmentAt, stepSegments, windowBands, type RowOptions } from '../src/incidents/timeline-rows.ts';
import { HQ_STATE } from '../src/ui/status.ts';
import { detail, TIMES } from './incident-fixtures.ts';

const span = { startMs: TIMES.start, endMs: TIMES.end };
const options = (extra: Partial<RowOptions> = {}): RowOptions => ({
  expanded: new Set(),
  siteLimit: 50,
  nodes: [
    { id: 'dvs-boston', name: 'Boston DVS', status: 'serving' },
    { id: 'secondary', name: 'HQ secondary', status: 'reachable' },
    { id: 'primary', name: 'HQ primary', status: 'reachable' },
  ],
  ...extra,
});
const words = (row: { segments: { fromMs: number; toMs: number; word: string }[] }) =>
  row.segments.map((s) => [s.fromMs - TIMES.start, s.toMs - TIMES.start, s.word]);

describe('stepSegments', () => {
  it('holds each status until the next change, merging repeats and dropping empty stretches', () => {
    const changes = [
      { ms: TIMES.start, to: 'failing-over' as const },
      { ms: TIMES.secondary, to: 'secondary-active' as const },
      { ms: TIMES.secondary + 1000, to: 'secondary-active' as const },
    ];
    const segments = stepSegments('primary-active', changes, span, (s) => HQ_STATE[s]);
    expect(words({ segments })).toEqual([
      [0, 7000, 'Failing over'],
      [7000, 21000, 'Secondary active'],
    ]);
    expect(segments[0]).toMatchObject({ tone: 'bad', glyph: '⇄' });
  });

  it('clips changes outside the span', () => {
    const segments = stepSegments('ok', [{ ms: TIMES.end + 5000, to: 'down' }], span, () => ({ word: 'x', glyph: 'x', tone: 'ok' }));
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ fromMs: TIMES.start, toMs: TIMES.end });
  });
});

describe('buildTimeline', () => {
  it('has the HQ state, each server, the services lost everywhere, then each site with a loss of its own', () => {
    const model = buildTimeline(detail(), span, options());
    expect(model.rows.map((r) => r.label)).toEqual([
      'HQ state',
      'HQ primary',
      'HQ secondary',
      'Boston DVS',
      'All sites: config, codes, workgroups',
      '▸ Headquarters',
      '▸ Austin',
    ]);
    expect(model.impactedSites).toBe(2);
    expect(model.hiddenSites).toBe(0);
  });

  it('the HQ row follows every transition', () => {
    const [hq] = buildTimeline(detail(), span, options()).rows;
    expect(words(hq!)).toEqual([
      [0, 7000, 'Failing over'],
      [7000, 13000, 'Secondary active'],
      [13000, 20000, 'Failing back'],
      [20000, 21000, 'Primary active'],
    ]);
  });

  it('server rows start from the status before their first change; servers without one keep theirs', () => {
    const rows = buildTimeline(detail(), span, options()).rows;
    expect(words(rows[1]!)).toEqual([
      [0, 20000, 'Reachable'],
      [20000, 21000, 'Serving'],
    ]);
    expect(words(rows[2]!)).toEqual([
      [0, 7000, 'Reachable'],
      [7000, 21000, 'Serving'],
    ]);
    expect(words(rows[3]!)).toEqual([[0, 21000, 'Serving']]);
  });

  it('a site row shows, at each moment, which of its own services are down', () => {
    const hq = buildTimeline(detail(), span, options()).rows.find((r) => r.siteId === 'hq')!;
    expect(words(hq)).toEqual([
      [0, 7000, 'Down: Call Manager telephony, Voicemail'],
      [7000, 13000, 'OK'],
      [13000, 20000, 'Down: Call Manager telephony'],
      [20000, 21000, 'OK'],
    ]);
    expect(hq.segments[0]).toMatchObject({ tone: 'bad', glyph: '✕' });
  });

  it('an expanded site adds one row per service', () => {
    const rows = buildTimeline(detail(), span, options({ expanded: new Set(['hq']) })).rows;
    const at = rows.findIndex((r) => r.siteId === 'hq');
    expect(rows[at]!.label).toBe('▾ Headquarters');
    expect(rows.slice(at + 1, at + 4).map((r) => [r.kind, r.label.trim()])).toEqual([
      ['service', 'Call Manager telephony'],
      ['service', 'Voicemail'],
      ['service', 'Config changes'],
    ]);
    expect(words(rows[at + 2]!)).toEqual([
      [0, 7000, 'Down: Voicemail'],
      [7000, 21000, 'OK'],
    ]);
  });

  it('shows at most siteLimit sites and counts the rest', () => {
    const model = buildTimeline(detail(), span, options({ siteLimit: 1 }));
    expect(model.rows.filter((r) => r.kind === 'site')).toHaveLength(1);
    expect(model.hiddenSites).toBe(1);
  });

  it('the services lost everywhere make one row', () => {
    const global = buildTimeline(detail(), span, options()).rows.find((r) => r.kind === 'global')!;
    expect(global.segments.filter((s) => s.tone === 'bad').map((s) => [s.fromMs - TIMES.start, s.toMs - TIMES.start])).toEqual([
      [0, 7000],
      [13000, 20000],
    ]);
  });

  it('an open interval runs to the end of the span', () => {
    const d = detail();
    const open = {
      ...d,
      impact: [
        {
          ...d.impact[0]!,
          services: [
            {
              service: 'telephony' as const,
              downMs: 0,
              intervals: [{ status: 'down' as const, from: d.incident.startedAt, to: null, durationMs: 0 }],
            },
          ],
        },
      ],
    };
    const row = buildTimeline(open, span, options()).rows.find((r) => r.siteId === 'hq')!;
    expect(words(row)).toEqual([[0, 21000, 'Down: Call Manager telephony']]);
  });
});

describe('windows, notes and lookup', () => {
  it('windows are shaded from start to end, open ones to the end of the span', () => {
    expect(windowBands(detail(), span)).toEqual([
      { fromMs: TIMES.start, toMs: TIMES.secondary, kind: 'failover', overrun: false },
      { fromMs: TIMES.failback, toMs: TIMES.primary, kind: 'failback', overrun: false },
    ]);
    const d = detail();
    const open = {
      ...d,
      incident: { ...d.incident, windows: [{ ...d.incident.windows[0]!, endedAt: null, verdict: 'overrun' as const }] },
    };
    expect(windowBands(open, span)).toEqual([{ fromMs: TIMES.start, toMs: TIMES.end, kind: 'failover', overrun: true }]);
  });

  it('notes are marked at the moment they refer to, with their text as given', () => {
    expect(annotationMarks(detail().timeline)).toEqual([{ id: 'n1', ms: TIMES.start + 3000, text: '<b>bold?</b>' }]);
  });

  it('segmentAt finds the segment under a moment', () => {
    const [hq] = buildTimeline(detail(), span, options()).rows;
    expect(segmentAt(hq!, TIMES.start + 8000)?.word).toBe('Secondary active');
    expect(segmentAt(hq!, TIMES.start)?.word).toBe('Failing over');
    expect(segmentAt(hq!, TIMES.end + 1)).toBeNull();
  });
});
