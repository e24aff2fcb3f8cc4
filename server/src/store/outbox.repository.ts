import type { AlertMemory, AlertMessage, IncidentAlert } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';
import { toIsoOrNull, toMs } from './time.ts';

/**
 * What a round adds for alerting, committed with its events: the messages (muted ones too), one
 * outbox row per message and channel, and the alert model's open threads when they changed.
 */
export interface RoundAlerts {
  messages: AlertMessage[];
  deliveries: { messageId: string; channelId: string; deadlineAtMs: number }[];
  /** The alert memory as JSON, or null when it did not change. */
  memory: string | null;
}

export type OutboxState = 'pending' | 'sent' | 'failed';

/** A delivery to make: the outbox row with its message. */
export interface OutboxRow {
  id: number;
  messageId: string;
  channelId: string;
  createdAtMs: number;
  nextAtMs: number;
  deadlineAtMs: number;
  attempts: number;
  message: AlertMessage;
}

/** A delivery given up on (past its deadline, or refused for good), kept and shown. */
export interface UndeliverableRow {
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

/** A recorded message with where it went. */
export interface MessageRecord {
  message: AlertMessage;
  deliveries: { channelId: string; state: OutboxState; attempts: number; sentAt: string | null; error: string | null }[];
}

/** The outbox and the alert messages: written by the round's transaction, worked by the notifier. */
export function outboxRepository(sql: Sql) {
  return {
    /** Inside the round's transaction. Retried writes are recognised by the writer's sequence number; the keys make doubles impossible anyway. */
    async add(alerts: RoundAlerts, atMs: number): Promise<void> {
      for (const m of alerts.messages) {
        await sql.run(
          `INSERT INTO alert_messages (id, at, dedup_key, event, status, incident_id, muted, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING`,
          [m.id, toMs(m.at), m.dedupKey, m.event, m.status, m.incidentId, m.muted, JSON.stringify(m)],
        );
      }
      // One row per message and channel: a delivery is recorded once only.
      for (const d of alerts.deliveries)
        await sql.run(
          `INSERT INTO outbox (message_id, channel_id, state, created_at, next_at, deadline_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (message_id, channel_id) DO NOTHING`,
          [d.messageId, d.channelId, 'pending', atMs, atMs, d.deadlineAtMs],
        );
      if (alerts.memory !== null)
        await sql.run(
          'INSERT INTO alert_memory (id, at, data) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at, data = excluded.data',
          [atMs, alerts.memory],
        );
    },

    async memory(): Promise<AlertMemory | null> {
      const row = await sql.get<{ data: string }>('SELECT data FROM alert_memory WHERE id = 1');
      return row ? (JSON.parse(row.data) as AlertMemory) : null;
    },

    /** Deliveries still to make, oldest first (the order each channel sends them in). */
    async pending(limit: number): Promise<OutboxRow[]> {
      const rows = await sql.all<{
        id: number;
        messageId: string;
        channelId: string;
        createdAtMs: number;
        nextAtMs: number;
        deadlineAtMs: number;
        attempts: number;
        data: string;
      }>(
        `SELECT o.id, o.message_id AS "messageId", o.channel_id AS "channelId", o.created_at AS "createdAtMs", o.next_at AS "nextAtMs",
                o.deadline_at AS "deadlineAtMs", o.attempts, m.data
           FROM outbox o JOIN alert_messages m ON m.id = o.message_id
          WHERE o.state = 'pending' ORDER BY o.id LIMIT ?`,
        [limit],
      );
      return rows.map(({ data, ...row }) => ({ ...row, message: JSON.parse(data) as AlertMessage }));
    },

    async markSent(id: number, attempts: number, atMs: number): Promise<void> {
      await sql.run("UPDATE outbox SET state = 'sent', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ?", [attempts, atMs, id]);
    },

    async markRetry(id: number, attempts: number, nextAtMs: number, error: string): Promise<void> {
      await sql.run('UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?', [attempts, nextAtMs, error, id]);
    },

    async markFailed(id: number, attempts: number, error: string): Promise<void> {
      await sql.run("UPDATE outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?", [attempts, error, id]);
    },

    /** An undeliverable delivery tried again from now, with a new deadline; false when there is no such row. */
    async retry(id: number, nowMs: number, deadlineAtMs: number): Promise<boolean> {
      const result = await sql.run(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?, deadline_at = ? WHERE id = ? AND state = 'failed'",
        [nowMs, deadlineAtMs, id],
      );
      return result.changes > 0;
    },

    /** Pending and undeliverable deliveries per channel. */
    async counts(): Promise<{ channelId: string; pending: number; failed: number }[]> {
      const rows = await sql.all<{ channelId: string; state: OutboxState; n: number }>(
        `SELECT channel_id AS "channelId", state, count(*) AS n FROM outbox WHERE state <> 'sent' GROUP BY channel_id, state ORDER BY channel_id`,
      );
      const byChannel = new Map<string, { channelId: string; pending: number; failed: number }>();
      for (const row of rows) {
        const entry = byChannel.get(row.channelId) ?? { channelId: row.channelId, pending: 0, failed: 0 };
        if (row.state === 'pending') entry.pending += Number(row.n);
        else entry.failed += Number(row.n);
        byChannel.set(row.channelId, entry);
      }
      return [...byChannel.values()];
    },

    async undeliverable(limit: number): Promise<UndeliverableRow[]> {
      const rows = await sql.all<{
        id: number;
        messageId: string;
        channelId: string;
        attempts: number;
        error: string | null;
        createdAtMs: number;
        data: string;
      }>(
        `SELECT o.id, o.message_id AS "messageId", o.channel_id AS "channelId", o.attempts, o.last_error AS error,
                o.created_at AS "createdAtMs", m.data
           FROM outbox o JOIN alert_messages m ON m.id = o.message_id
          WHERE o.state = 'failed' ORDER BY o.id DESC LIMIT ?`,
        [limit],
      );
      return rows.map(({ data, createdAtMs, ...row }) => {
        const message = JSON.parse(data) as AlertMessage;
        return { ...row, createdAt: toIsoOrNull(createdAtMs)!, event: message.event, status: message.status, title: message.title };
      });
    },

    /** The messages of an incident, oldest first, with what became of each delivery: the postmortem's "alerts sent". */
    async ofIncident(incidentId: string): Promise<IncidentAlert[]> {
      const rows = await sql.all<{ id: string; data: string; channelId: string | null; state: OutboxState | null }>(
        `SELECT m.id, m.data, o.channel_id AS "channelId", o.state
           FROM alert_messages m LEFT JOIN outbox o ON o.message_id = m.id
          WHERE m.incident_id = ? ORDER BY m.at, m.id, o.id`,
        [incidentId],
      );
      const alerts = new Map<string, IncidentAlert>();
      for (const row of rows) {
        let alert = alerts.get(row.id);
        if (!alert) {
          const m = JSON.parse(row.data) as AlertMessage;
          alert = { at: m.at, event: m.event, severity: m.severity, title: m.title, muted: m.muted, deliveries: [] };
          alerts.set(row.id, alert);
        }
        if (row.channelId !== null && row.state !== null) alert.deliveries.push({ channelId: row.channelId, state: row.state });
      }
      return [...alerts.values()];
    },

    /** Recorded messages, newest first (of one incident, when given), with their deliveries. */
    async messages(query: { incidentId?: string; limit: number }): Promise<MessageRecord[]> {
      const rows =
        query.incidentId === undefined
          ? await sql.all<{ id: string; data: string }>('SELECT id, data FROM alert_messages ORDER BY at DESC, id DESC LIMIT ?', [
              query.limit,
            ])
          : await sql.all<{ id: string; data: string }>(
              'SELECT id, data FROM alert_messages WHERE incident_id = ? ORDER BY at DESC, id DESC LIMIT ?',
              [query.incidentId, query.limit],
            );
      const records: MessageRecord[] = [];
      for (const row of rows) {
        const deliveries = await sql.all<{
          channelId: string;
          state: OutboxState;
          attempts: number;
          sentAtMs: number | null;
          error: string | null;
        }>(
          `SELECT channel_id AS "channelId", state, attempts, sent_at AS "sentAtMs", last_error AS error FROM outbox WHERE message_id = ? ORDER BY id`,
          [row.id],
        );
        records.push({
          message: JSON.parse(row.data) as AlertMessage,
          deliveries: deliveries.map(({ sentAtMs, ...d }) => ({ ...d, sentAt: toIsoOrNull(sentAtMs) })),
        });
      }
      return records;
    },
  };
}
