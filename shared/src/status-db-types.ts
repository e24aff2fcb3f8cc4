/** Wire types of the ShoreWare status database source (additions to the LiveState, all optional). */

/** The worst status among a site's switches, with its meaning in words. */
export interface SwitchWorst {
  code: number;
  text: string;
}

/** `sites[].switches`: the voice switches of a site as the status database last reported them. */
export interface SiteSwitches {
  total: number;
  /** At code 110, the only status ShoreWare calls in service. */
  inService: number;
  /** At code 490: their managing server cannot reach them. */
  lost: number;
  /** Null when the site has no switch in the database. */
  worst: SwitchWorst | null;
  /** When a switch of the site last changed status (or was first read). */
  since: string;
  /** Names listed in the site's `switches` that the database does not have. */
  missing?: string[];
}

/** One Windows service of a server, from `heapservicestatus`. */
export interface ServerServiceView {
  name: string;
  displayName: string;
  /** `CurrentState` as stored (4 = running). */
  state: number;
  stateText: string;
  running: boolean;
}

/**
 * `starting`: nothing read yet; `ok`: the last read answered in time; `stale`: connected but the
 * read failed or did not answer in time (what is shown is older); `unreachable`: no connection.
 */
export type StatusDbStatus = 'starting' | 'ok' | 'stale' | 'unreachable';

/** `statusDb`: the source's own status. Switch figures shown while it is not `ok` are as of `readAt`. */
export interface StatusDbView {
  status: StatusDbStatus;
  /** When `status` began. */
  since: string;
  /** When what is shown was read; null before the first read. */
  readAt: string | null;
  /** `user@host:port/database`, never a password. */
  target: string;
  /** The last failure in words. */
  error?: string;
  /** Unreachable while an HQ window is open: HQ services, this database among them, are down as expected. */
  expected?: boolean;
  intervalMs: number;
}
