import type { Sql } from './sql/sql.ts';

/** What the leader last published (its live state as JSON), as any instance reads it from the store. */
export interface LeaderLive {
  term: number;
  instance: string;
  /** The leader's last heartbeat, milliseconds (database clock). */
  heartbeatAt: number;
  seq: number | null;
  state: string | null;
}

/** One instance of a pair (or more) as it last said: its role, term and own view. */
export interface ClusterMember {
  instance: string;
  role: string;
  term: number;
  heartbeatAt: number;
  view: string;
}

/** Reads of the leadership tables (`cluster_leader`, `cluster_members`); leadership writes them itself (`cluster/leadership.ts`). */
export function clusterRepository(sql: Sql) {
  return {
    async leaderLive(): Promise<LeaderLive | null> {
      return (
        (await sql.get<LeaderLive>(
          `SELECT term, instance, heartbeat_at AS "heartbeatAt", live_seq AS seq, live_state AS state FROM cluster_leader WHERE id = 1`,
        )) ?? null
      );
    },
    members(): Promise<ClusterMember[]> {
      return sql.all<ClusterMember>(
        `SELECT instance, role, term, heartbeat_at AS "heartbeatAt", view FROM cluster_members ORDER BY instance`,
      );
    },
  };
}
