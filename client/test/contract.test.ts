import { describe, expect, it } from 'vitest';
import { CONTRACT_MISMATCH, CONTRACT_VERSION } from '@hqwatch/shared';
import { isContractMismatch, otherContract, RELOAD_SPACING_MS, reloadForContract, type ReloadDeps } from '../src/state/contract.ts';

function page(now = 1_000_000) {
  const stored = new Map<string, string>();
  const timers: { fn: () => void; ms: number }[] = [];
  const deps: ReloadDeps & { clock: number; reloads: number } = {
    clock: now,
    reloads: 0,
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    reload: () => (deps.reloads += 1),
    now: () => deps.clock,
    later: (fn, ms) => void timers.push({ fn, ms }),
  };
  return { deps, timers };
}

describe('a dashboard of another contract version', () => {
  it('knows the refusal of its handshake', () => {
    expect(isContractMismatch(new Error(CONTRACT_MISMATCH))).toBe(true);
    expect(isContractMismatch(new Error('xhr poll error'))).toBe(false);
  });

  it('knows a full state of another version', () => {
    expect(otherContract({ contractVersion: CONTRACT_VERSION })).toBe(false);
    expect(otherContract({ contractVersion: CONTRACT_VERSION + 1 })).toBe(true);
    expect(otherContract({})).toBe(true);
  });

  it('reloads at once the first time', () => {
    const { deps } = page();
    expect(reloadForContract(deps)).toBe('now');
    expect(deps.reloads).toBe(1);
  });

  it('spaces its reloads, so a page a cache keeps serving old never reloads in a loop, and never gives up', () => {
    const { deps, timers } = page();
    reloadForContract(deps);
    deps.clock += 2_000;
    expect(reloadForContract(deps)).toBe('later');
    expect(deps.reloads).toBe(1);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(RELOAD_SPACING_MS - 2_000);
    deps.clock += timers[0]!.ms;
    timers[0]!.fn();
    expect(deps.reloads).toBe(2);
  });
});
