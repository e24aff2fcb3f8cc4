import type { HqState } from '@hqwatch/shared';

/**
 * Why there is no active HQ server to read the status database from, in words. During a window
 * this is what the vendor describes (no HQ services for 5–20 minutes), not a fault of the source.
 */
export function hostProblem(state: HqState): string {
  switch (state) {
    case 'failing-over':
      return 'no HQ server is acting during the failover window; the status database is read again once the secondary serves';
    case 'failing-back':
      return 'no HQ server is acting during the failback window; the status database is read again once the primary serves';
    case 'hq-down':
      return 'no HQ server is serving; the status database is read again once one does';
    case 'dual-active':
      return 'both HQ servers claim the role (split brain); neither database is read';
    case 'monitor-blind':
      return 'the monitor cannot see the network; the status database is not read';
    default:
      return 'waiting for the first HQ verdict to know which server to read';
  }
}
