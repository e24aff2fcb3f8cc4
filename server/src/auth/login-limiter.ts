import type { AccountStore } from '../store/accounts.ts';

export interface LoginLimits {
  /** Failed logins per name, and per client address, within `windowMs`… */
  failures: number;
  windowMs: number;
}

/** 5 failures per 5 minutes, per name and per client address. */
export const LOGIN_LIMITS: LoginLimits = { failures: 5, windowMs: 5 * 60_000 };

export interface LoginLimiter {
  /** How long (ms) this name or address must wait before trying again; 0 when it may try now. */
  waitFor(name: string, address: string): Promise<number>;
  fail(name: string, address: string): Promise<void>;
  /** A good password clears the name's failures (not the address's: one known account must not reset an attacker's count). */
  succeed(name: string): Promise<void>;
}

const keysOf = (name: string, address: string) => [`user:${name}`, `addr:${address}`];

/**
 * Brute-force limits on logins, counted in the store so that instances sharing a database count
 * together. A name that does not exist is counted like one that does: the answers never tell them
 * apart. After `failures` failures within the window, the name (or address) waits until the
 * oldest of those leaves the window.
 */
export function createLoginLimiter(accounts: AccountStore, now: () => number, limits: LoginLimits = LOGIN_LIMITS): LoginLimiter {
  return {
    async waitFor(name, address) {
      const at = now();
      const failures = await accounts.loginFailures(keysOf(name, address), at - limits.windowMs);
      let wait = 0;
      for (const times of failures.values()) {
        if (times.length < limits.failures) continue;
        wait = Math.max(wait, times[times.length - limits.failures]! + limits.windowMs - at);
      }
      return wait;
    },
    async fail(name, address) {
      const at = now();
      await accounts.recordLoginFailure(keysOf(name, address), at, at - limits.windowMs);
    },
    async succeed(name) {
      await accounts.clearLoginFailures(`user:${name}`);
    },
  };
}
