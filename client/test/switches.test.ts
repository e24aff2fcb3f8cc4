import { describe, expect, it } from 'vitest';
import { SERVICE_KEYS, summarizeSwitches, type IncidentDetail, type StatusDbView, type SwitchStatusEvent } from '@hqwatch/shared';
import { keepIdentity } from '../src/incidents/replay-cache.ts';
import { matrixColumns, switchesColumn } from '../src/switches/columns.ts';
import { mergePoints, rehomingRows, switchChangePoints } from '../src/switches/rehoming.ts';
import { serviceLook, sourceNotice, switchesLook } from '../src/switches/switches.ts';
import { iso, liveState, node, site, T0 } from './fixtures.ts';

const AT = iso(T0);
const clock = (t: string) => t.slice(11, 19);
const view = (extra: Partial<StatusDbView>): StatusDbView => ({
  status: 'ok',
  since: AT,
  readAt: AT,
  target: 'ro@10.1.0.10:4308/shorewarestatus',
  intervalMs: 15_000,
  ...extra,
});

describe('the Switches cell', () => {
  it.each([
    [{ a: 110, b: 110, c: 110 }, '3/3', 'ok', '✓', 'in service', '3 of 3 switches in service'],
    [{ a: 490, b: 490, c: 110 }, '1/3', 'bad', '✕', 'lost communication', '1 of 3 switches in service; worst: lost communication'],
    [{ a: 210 }, '0/1', 'info', 'i', 'firmware update available', '0 of 1 switch in service; worst: firmware update available'],
    [{ a: 340, b: 110 }, '1/2', 'warn', '!', 'SIP trunks out of service', '1 of 2 switches in service; worst: SIP trunks out of service'],
  ])('%j reads %s with a glyph and words, never colour alone', (codes, count, tone, glyph, word, label) => {
    expect(switchesLook(summarizeSwitches(codes, AT))).toEqual({ count, tone, glyph, word, label });
  });

  it('no data and no switch found say so', () => {
    expect(switchesLook(undefined)).toMatchObject({ count: '–', word: 'No data', tone: 'muted' });
    expect(switchesLook(summarizeSwitches({}, AT))).toMatchObject({ count: '0', word: 'None found' });
  });

  it('shows only with a status database, old while the source is not fresh', () => {
    expect(switchesColumn(undefined)).toBeNull();
    expect(switchesColumn(view({}))).toEqual({ stale: false });
    expect(switchesColumn(view({ status: 'stale' }))).toEqual({ stale: true });
    expect(switchesColumn(view({ status: 'unreachable', readAt: null }))).toEqual({ stale: false });
    expect(matrixColumns(false)).toEqual(SERVICE_KEYS);
    expect(matrixColumns(true)).toEqual([...SERVICE_KEYS, 'switches']);
  });
});

describe('the source in words', () => {
  it('read, stale with since when and why, unreachable calmly during a window', () => {
    expect(sourceNotice(view({}), clock)).toEqual({ tone: 'ok', glyph: '✓', text: 'Status database read at 10:00:00', old: false });
    const stale = view({
      status: 'stale',
      since: iso(T0 + 20_000),
      error: 'the read did not answer within 5 s (a table lock or a slow server)',
    });
    expect(sourceNotice(stale, clock)).toEqual({
      tone: 'warn',
      glyph: '⏸',
      text: 'Status database stale since 10:00:20: the read did not answer within 5 s (a table lock or a slow server); showing what was read at 10:00:00',
      old: true,
    });
    const window = view({
      status: 'unreachable',
      since: iso(T0 + 60_000),
      expected: true,
      error: 'no HQ server is acting during the failover window',
    });
    expect(sourceNotice(window, clock)).toMatchObject({ tone: 'info', old: true });
    expect(sourceNotice(window, clock).text).toBe(
      'Status database unreachable since 10:01:00, as expected while HQ services are down: no HQ server is acting during the failover window; showing what was read at 10:00:00',
    );
    expect(sourceNotice(view({ status: 'unreachable', error: 'connection refused' }), clock).tone).toBe('warn');
  });

  it('services read as running or not, in words', () => {
    expect(serviceLook({ stateText: 'running', running: true })).toEqual({ word: 'running', glyph: '✓', tone: 'ok' });
    expect(serviceLook({ stateText: 'stopped', running: false })).toEqual({ word: 'stopped', glyph: '✕', tone: 'bad' });
  });
});

describe('replay and the incident view', () => {
  const change = (s: number, sw: string, from: number, to: number): SwitchStatusEvent => ({
    type: 'switch-status',
    at: iso(T0 + s * 1000),
    incidentId: 'i',
    siteId: sw.startsWith('sw-hq') ? 'hq' : 'boston',
    switch: sw,
    from,
    to,
    hqState: 'failing-over',
  });

  it('switch changes are change points of the replay', () => {
    const detail = { switchChanges: [change(5, 'sw-hq-1', 110, 490)], statusDbChanges: [] } as Pick<
      IncidentDetail,
      'switchChanges' | 'statusDbChanges'
    >;
    expect(mergePoints([T0, T0 + 5000, T0 + 9000], switchChangePoints(detail))).toEqual([T0, T0 + 5000, T0 + 9000]);
    expect(mergePoints([T0], switchChangePoints({ ...detail, switchChanges: [change(7, 'sw-hq-1', 110, 490)] }))).toEqual([T0, T0 + 7000]);
  });

  it('a site whose switches changed is not reused from an earlier answer', () => {
    const before = liveState({ sites: [site('hq', [], { switches: summarizeSwitches({ a: 110 }, AT) })], nodes: [node('primary')] });
    const after = liveState({ sites: [site('hq', [], { switches: summarizeSwitches({ a: 490 }, AT) })], nodes: [node('primary')] });
    expect(keepIdentity(before, after).sites[0]).toBe(after.sites[0]);
    const same = liveState({ sites: [site('hq', [], { switches: summarizeSwitches({ a: 110 }, AT) })], nodes: [node('primary')] });
    expect(keepIdentity(before, same).sites[0]).toBe(before.sites[0]);
  });

  it('the re-homing rows put sites that lost communication first, by name', () => {
    const detail = {
      switchChanges: [change(1, 'sw-bos-1', 110, 210), change(5, 'sw-hq-1', 110, 490), change(9, 'sw-hq-1', 490, 110)],
    } as IncidentDetail;
    const rows = rehomingRows(detail, new Map([['hq', 'Headquarters']]));
    expect(rows.map((r) => [r.name, r.firstLostAt, r.allBackAt])).toEqual([
      ['Headquarters', iso(T0 + 5000), iso(T0 + 9000)],
      ['boston', null, null],
    ]);
  });
});
