import { describe, expect, it } from 'vitest';
import { atParam, clampTime, defaultMoment, parseAtParam, playStep, scrubSteps, spanOf } from '../src/incidents/scrub.ts';
import { detail, TIMES } from './incident-fixtures.ts';
import { iso } from './fixtures.ts';

const span = { startMs: TIMES.start, endMs: TIMES.end };

describe('the span of an incident', () => {
  it('runs from its start to its end', () => {
    expect(spanOf(detail().incident, null)).toEqual(span);
  });

  it('runs to the last recorded moment while open', () => {
    const open = { ...detail().incident, endedAt: null };
    expect(spanOf(open, iso(TIMES.end + 9000))).toEqual({ startMs: TIMES.start, endMs: TIMES.end + 9000 });
    expect(spanOf(open, null)).toEqual({ startMs: TIMES.start, endMs: TIMES.start + open.durationMs });
  });
});

describe('scrub math', () => {
  it('keeps moments within the incident', () => {
    expect(clampTime(TIMES.start - 1, span)).toBe(TIMES.start);
    expect(clampTime(TIMES.end + 1, span)).toBe(TIMES.end);
    expect(clampTime(TIMES.secondary, span)).toBe(TIMES.secondary);
  });

  it('opens on the middle of the first window, or the start without one', () => {
    expect(defaultMoment(detail().incident, span)).toBe(TIMES.start + 3500);
    expect(defaultMoment({ windows: [] }, span)).toBe(TIMES.start);
  });

  it('steps by a second, and by a twentieth of the incident with Page Up/Down', () => {
    expect(scrubSteps(span)).toEqual({ small: 1000, large: 1000 });
    expect(scrubSteps({ startMs: 0, endMs: 4 * 3_600_000 })).toEqual({ small: 1000, large: 720_000 });
  });
});

describe('playback', () => {
  it.each([
    [1, 16, 16],
    [10, 16, 160],
    [60, 16, 960],
  ])('at %d×, %d ms of wall time move the replay by %d ms', (speed, real, moved) => {
    expect(playStep(TIMES.start, real, speed, span)).toEqual({ atMs: TIMES.start + moved, ended: false });
  });

  it('stops at the end of the incident', () => {
    expect(playStep(TIMES.end - 100, 1000, 60, span)).toEqual({ atMs: TIMES.end, ended: true });
  });
});

describe('the at of a deep link', () => {
  it('opens exactly the moment it names', () => {
    const at = atParam(TIMES.start + 1234);
    expect(at).toBe(iso(TIMES.start + 1234));
    expect(parseAtParam(at, span, true)).toEqual({ kind: 'ok', ms: TIMES.start + 1234 });
    expect(parseAtParam([at], span, true)).toEqual({ kind: 'ok', ms: TIMES.start + 1234 });
  });

  it('is optional', () => {
    expect(parseAtParam(undefined, span, true)).toEqual({ kind: 'none' });
    expect(parseAtParam('', span, true)).toEqual({ kind: 'none' });
  });

  it('outside the incident, says when the incident ran', () => {
    const result = parseAtParam(iso(TIMES.start - 60_000), span, true);
    expect(result.kind).toBe('outside');
    expect(result).toMatchObject({
      message: expect.stringContaining('is outside this incident, which runs from 2026-11-25 10:00:00 to 2026-11-25 10:00:21 (UTC)'),
    });
  });

  it('that is not a time, says so', () => {
    expect(parseAtParam('yesterday', span, true)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('"yesterday" is not a time'),
    });
    expect(parseAtParam('12345', span, true).kind).toBe('invalid');
  });
});
