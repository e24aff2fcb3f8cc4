import type { AlertMessage } from './alert-events.ts';
import type { MaintenanceWindow } from './maintenance.ts';

/** REST payloads of alerting (`/api/notify…`) and maintenance (`/api/maintenance…`). */

/** Counters of one channel since the server started. */
export interface ChannelCountersView {
  sent: number;
  /** Deliveries given up on (undeliverable) since start. */
  failed: number;
  /** Attempts that failed and were retried. */
  retries: number;
}

export interface ChannelView {
  id: string;
  /** webhook, slack, teams, email, pagerduty; `removed` for a channel with deliveries but no config any more. */
  kind: string;
  /** Where it delivers, without secrets: a URL's scheme and host, the SMTP server and recipients. */
  target: string;
  pending: number;
  undeliverable: number;
  counters: ChannelCountersView;
}

/** A delivery given up on, kept for an operator to see and retry. */
export interface UndeliverableView {
  id: number;
  messageId: string;
  channelId: string;
  attempts: number;
  error: string | null;
  createdAt: string;
  event: string;
  status: string;
  title: string;
}

/** `GET /api/notify`. */
export interface NotifyOverview {
  enabled: boolean;
  channels: ChannelView[];
  routes: { channels: string[]; events: string[] | null; sites: string[] | null; servers: string[] | null; repeatMs: number | null }[];
  pending: number;
  undeliverable: number;
  problem: string | null;
  undeliverableList: UndeliverableView[];
}

/** `GET /api/notify/messages`: recorded messages, newest first, with where each went. */
export interface MessageView {
  message: AlertMessage;
  deliveries: { channelId: string; state: 'pending' | 'sent' | 'failed'; attempts: number; sentAt: string | null; error: string | null }[];
}

/** `POST /api/notify/test` answers. */
export type TestSendResult = { ok: true; channel: string } | { ok: false; channel: string; error: string };

/** `GET /api/maintenance`. */
export interface MaintenanceList {
  windows: MaintenanceWindow[];
  /** The window in force now, if any. */
  active: MaintenanceWindow | null;
}
