import { describe, expect, it } from 'vitest';
import { encodeDelta } from '@hqwatch/shared';
import { stepDelta } from '../src/state/sync.ts';
import { hq, liveState, site } from './fixtures.ts';

describe('stepDelta: joining deltas to the held state', () => {
  const held = liveState({ seq: 10 });

  it('applies the delta that follows the last seq', () => {
    const step = stepDelta(held, { seq: 11, at: '2026-11-25T10:00:02.000Z', hq: hq({ state: 'secondary-active' }) });
    expect(step.kind).toBe('apply');
    if (step.kind !== 'apply') return;
    expect(step.state.seq).toBe(11);
    expect(step.state.hq.state).toBe('secondary-active');
    expect(step.state.sites).toBe(held.sites);
  });

  it('applies a heartbeat, moving seq and time only', () => {
    const step = stepDelta(held, { seq: 11, at: '2026-11-25T10:00:02.000Z' });
    expect(step).toMatchObject({ kind: 'apply', state: { seq: 11, at: '2026-11-25T10:00:02.000Z', hq: held.hq } });
  });

  it('keeps the identity of sites a delta does not mention, so their rows do not re-render', () => {
    const next = { ...held, seq: 11, sites: [held.sites[0]!, site('boston', ['voicemail'])] };
    const step = stepDelta(held, encodeDelta(held, next));
    if (step.kind !== 'apply') throw new Error('expected apply');
    expect(step.state.sites[0]).toBe(held.sites[0]);
    expect(step.state.sites[1]!.services.voicemail.status).toBe('down');
    // Within a changed site, the services the delta leaves alone keep theirs too.
    expect(step.state.sites[1]!.services.telephony).toBe(held.sites[1]!.services.telephony);
  });

  it.each([
    ['a skipped seq', 12],
    ['a far jump', 500],
  ])('asks for a snapshot after %s', (_, seq) => {
    expect(stepDelta(held, { seq, at: held.at })).toEqual({ kind: 'resync' });
  });

  it.each([
    ['a duplicate', 10],
    ['an older delta', 3],
  ])('ignores %s', (_, seq) => {
    expect(stepDelta(held, { seq, at: held.at })).toEqual({ kind: 'ignore' });
  });

  it('asks for a snapshot when nothing is held yet', () => {
    expect(stepDelta(null, { seq: 1, at: held.at })).toEqual({ kind: 'resync' });
  });
});
