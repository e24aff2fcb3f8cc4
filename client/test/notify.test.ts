import { describe, expect, it } from 'vitest';
import type { IncidentList } from '@hqwatch/shared';
import { windowBars } from '../src/history/chart-data.ts';
import { phaseOf, scheduleBody } from '../src/maintenance/maintenance.ts';
import { badgeText, operatorErrorText } from '../src/notify/notify.ts';

describe('the undeliverable badge', () => {
  it('says how many alerts could not be delivered, and nothing when none', () => {
    expect(badgeText(null)).toBeNull();
    expect(badgeText({ undeliverable: 0 })).toBeNull();
    expect(badgeText({ undeliverable: 1 })).toBe('1 alert undeliverable');
    expect(badgeText({ undeliverable: 3 })).toBe('3 alerts undeliverable');
  });

  it('tells a refused token from an unreachable server', () => {
    expect(operatorErrorText(401, 'unauthorized')).toBe('The operator token was refused. Check it and try again.');
    expect(operatorErrorText(0, 'x')).toBe('The server cannot be reached.');
    expect(operatorErrorText(400, 'to: must be after from')).toBe('to: must be after from');
  });
});

describe('maintenance windows', () => {
  const w = { from: '2026-11-28T10:00:00.000Z', to: '2026-11-28T11:00:00.000Z' };
  it('are planned, in force, then over', () => {
    expect(phaseOf(w, Date.parse('2026-11-28T09:59:00Z'))).toBe('planned');
    expect(phaseOf(w, Date.parse('2026-11-28T10:00:00Z'))).toBe('in force');
    expect(phaseOf(w, Date.parse('2026-11-28T11:00:00Z'))).toBe('over');
  });

  it('are scheduled with a reason and an end after the start', () => {
    expect(scheduleBody({ from: '2026-11-28T10:00', to: '2026-11-28T11:00', reason: '  drill ' })).toEqual({
      from: new Date('2026-11-28T10:00').toISOString(),
      to: new Date('2026-11-28T11:00').toISOString(),
      reason: 'drill',
    });
    expect(scheduleBody({ from: '2026-11-28T10:00', to: '2026-11-28T11:00', reason: ' ' })).toEqual({
      error: 'Say why: the reason is shown beside every incident it covers.',
    });
    expect(scheduleBody({ from: '', to: '2026-11-28T11:00', reason: 'x' })).toEqual({ error: 'Give a start and an end.' });
    expect(scheduleBody({ from: '2026-11-28T11:00', to: '2026-11-28T10:00', reason: 'x' })).toEqual({
      error: 'The end must be after the start.',
    });
  });
});

it('a window that started inside maintenance is a planned bar in the durations chart', () => {
  const window = {
    kind: 'failover' as const,
    startedAt: '2026-11-28T10:05:00.000Z',
    endedAt: '2026-11-28T10:15:00.000Z',
    durationMs: 600_000,
    expectedMinMs: 300_000,
    expectedMaxMs: 1_200_000,
    overrun: false,
    verdict: 'expected' as const,
  };
  const list = {
    incidents: [{ windows: [window, { ...window, startedAt: '2026-11-28T12:00:00.000Z', planned: 'drill' }] }],
  } as unknown as IncidentList;
  const bars = windowBars(list);
  expect(bars.map((b) => b.planned)).toEqual([undefined, true]);
});
