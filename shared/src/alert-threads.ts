import type { ConditionKind } from './alert-conditions.ts';
import type { HqState } from './types.ts';

/**
 * The alert model's memory: a thread per problem (the HQ incident, a distributed server down, the
 * standby lost, the monitor blind), kept between rounds and stored with the round's messages.
 */

export type ThreadKind = 'incident' | ConditionKind;

/**
 * How a thread reached people: `sent` (its trigger went out), `muted` (opened inside a maintenance
 * window: recorded, not sent, until the window ends with the problem still there) or `folded`
 * (a server or the standby lost while an HQ window is open: told in the incident's thread).
 */
export type ThreadMode = 'sent' | 'muted' | 'folded';

export interface AlertThread {
  /** The condition: `incident:<id>`, `server:<id>`, `standby:<id>`, `monitor:blind`. */
  key: string;
  dedupKey: string;
  kind: ThreadKind;
  subject: string;
  /** What the subject is called (a server's name), for messages once it is gone from the config. */
  name?: string;
  incidentId: string | null;
  openedAt: string;
  mode: ThreadMode;
  /** The incident thread's key, while folded into it. */
  foldedInto: string | null;
  /** Messages so far (the next one is `seq + 1`). */
  seq: number;
  /** Channels any message of the thread went to: its resolve goes to all of them. */
  channels: string[];
  /** When a message of the thread last went out on each route (its index), for `repeat`. */
  routedAt: Record<string, string>;
  reminders: number;
  /** The incident's window (`kind@startedAt`) and whether it overran, and the HQ state, as last told. */
  window: string | null;
  overrun: boolean;
  hqState: HqState;
  /** The maintenance window's reason when the thread opened inside one. */
  planned: string | null;
}

export interface AlertMemory {
  threads: AlertThread[];
}

export const EMPTY_ALERT_MEMORY: AlertMemory = { threads: [] };
