import { Lockout } from '../http/rate-limit.ts';

/** Wrong bearer tokens per client address before a lockout, the window they count in, and its length. */
export interface OperatorLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_OPERATOR_LIMITS: OperatorLimits = { maxFailures: 5, windowMs: 5 * 60_000, lockMs: 5 * 60_000 };

/**
 * Guessing bearer tokens (operator tokens, kiosk display tokens): after `maxFailures` wrong ones
 * from one client address within `windowMs`, every bearer token from it is refused for `lockMs`
 * without being checked — a right guess during the lockout gains nothing. A request without a
 * token is no guess. Kept in memory: tokens are long random strings, and the lockout only has to
 * make guessing slower than it already is hopeless.
 */
export function tokenLockout(limits: OperatorLimits) {
  const lockout = new Lockout(limits);
  return {
    /** Milliseconds the address must wait before a token of it is checked again; 0 when it may try now. */
    lockedFor: (address: string) => lockout.lockedFor(address),
    failed: (address: string) => lockout.fail(address),
    succeeded: (address: string) => lockout.succeed(address),
  };
}

export type TokenLockout = ReturnType<typeof tokenLockout>;
