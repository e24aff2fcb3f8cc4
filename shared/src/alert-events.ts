/**
 * The names of what hqwatch alerts on, as the `event` of every message. A thread of messages (one
 * `dedupKey`) opens with `trigger`, goes on with `update`s and ends with exactly one `resolve`.
 */
export const ALERT_EVENTS = [
  // The HQ incident's thread.
  'incident.opened',
  'window.opened',
  'window.overrun',
  'window.closed',
  'hq.down',
  'hq.split-brain',
  'hq.changed',
  'incident.closed',
  // Threads of their own (or folded into the incident's while a window is open).
  'server.down',
  'server.up',
  'standby.lost',
  'standby.regained',
  'monitor.blind',
  'monitor.sighted',
  // Any thread still open, repeated by a route's `repeat`.
  'reminder',
  // `hqwatch notify test` and the admin button: no thread.
  'test',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export type AlertStatus = 'trigger' | 'update' | 'resolve';

/** How urgent a message is: `critical` pages (HQ services gone), `warning` asks for a look, `info` tells. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** Why a message was recorded but not sent: inside a maintenance window, or told in the incident's thread instead. */
export type AlertMute = 'maintenance' | 'folded';

export interface AlertLoss {
  /** "Call Manager telephony & video", "Voicemail", "Intersite calls (DRS)". */
  what: string;
  sites: number;
  users: number | null;
}

/**
 * One message of a thread, as it is recorded and as every channel's payload is built from it. It
 * holds words and figures only, never a channel's URL or secret.
 */
export interface AlertMessage {
  /** Unique: `dedupKey#seq`. Receivers may use it to drop a delivery they already had. */
  id: string;
  /** The thread: stable from trigger to resolve (PagerDuty's `dedup_key`, the e-mail thread). */
  dedupKey: string;
  /** Position in the thread, from 1. */
  seq: number;
  event: AlertEvent;
  status: AlertStatus;
  severity: AlertSeverity;
  at: string;
  incidentId: string | null;
  hqState: string;
  /** One line, in the dashboard's words: "Failover in progress — 2:10 elapsed — typically 5–20 min". */
  title: string;
  /** The title and what it means for people, in a sentence or two: what a phone's notification shows. */
  summary: string;
  /** What is lost, for how many sites and users, and what Call Manager users must type. */
  details: string[];
  losses: AlertLoss[];
  /** The IP Call Manager users must type now (the secondary's while it is HQ); null while no server is HQ. */
  callManagerAddress: string | null;
  /** The IP they will need once the open failover (failback) completes. */
  callManagerAfter: string | null;
  window: {
    kind: string;
    startedAt: string;
    elapsedMs: number;
    expectedMinMs: number;
    expectedMaxMs: number;
    overrun: boolean;
  } | null;
  /** Sites that lost anything, and the servers the message is about: what route filters match. */
  sites: string[];
  servers: string[];
  /** The incident in the dashboard, when `http.publicUrl` is set. */
  url: string | null;
  /** Inside a planned maintenance window (its reason). */
  planned: string | null;
  /** Recorded but not sent, and why. */
  muted: AlertMute | null;
  /** The n-th reminder of a still-open thread. */
  repeat?: number;
}
