import { CONTRACT_MISMATCH, CONTRACT_VERSION } from '@hqwatch/shared';

/** Reloads of the page for another contract version are at least this far apart. */
export const RELOAD_SPACING_MS = 30_000;
const LAST_RELOAD_KEY = 'hqwatch:contract-reload-at';

export interface ReloadDeps {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  reload: () => void;
  now: () => number;
  later: (fn: () => void, ms: number) => void;
}

const browser = (): ReloadDeps => ({
  storage: typeof sessionStorage === 'undefined' ? null : sessionStorage,
  reload: () => location.reload(),
  now: () => Date.now(),
  later: (fn, ms) => void setTimeout(fn, ms),
});

/** Whether a socket.io `connect_error` is the server telling this build to reload. */
export function isContractMismatch(err: unknown): boolean {
  return err instanceof Error && err.message === CONTRACT_MISMATCH;
}

/**
 * The server speaks another contract version than this build (it refused the handshake, or sent a
 * state of another version): load the page again to get the build it serves, rather than misread
 * what it sends. Reloads are spaced ({@link RELOAD_SPACING_MS}) so a page a cache keeps serving old
 * never reloads in a loop, and never given up: a wall display must come back by itself.
 */
export function reloadForContract(deps: ReloadDeps = browser()): 'now' | 'later' {
  const last = Number(deps.storage?.getItem(LAST_RELOAD_KEY) ?? 0);
  const wait = last + RELOAD_SPACING_MS - deps.now();
  const reload = () => {
    deps.storage?.setItem(LAST_RELOAD_KEY, String(deps.now()));
    deps.reload();
  };
  if (wait > 0) {
    deps.later(reload, wait);
    return 'later';
  }
  reload();
  return 'now';
}

/** Whether a full state was built by a server of another contract version. */
export function otherContract(state: { contractVersion?: unknown }): boolean {
  return state.contractVersion !== CONTRACT_VERSION;
}
