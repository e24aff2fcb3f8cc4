import { buildLiveState, type HqwatchConfig, type LiveState, type WindowHistory } from '@hqwatch/shared';
import type { IncidentRow } from './incidents.repository.ts';
import type { StoredCore } from './snapshots.repository.ts';
import { toIso, toMs } from './time.ts';

export type ReplayResult =
  | { ok: true; state: LiveState }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'outside'; startedAt: string; endedAt: string };

export interface ReplaySources {
  incident: IncidentRow | null;
  /** End of an open incident: the last moment recorded. */
  asOfMs: number;
  /** The last engine core stored at or before a moment. */
  coreAt(atMs: number): Promise<StoredCore | null>;
  /** Whether the monitor was running at a moment. */
  monitored(atMs: number): Promise<boolean>;
  /** Windows closed by a moment, so a replayed open window carries the ETA shown live then. */
  windowHistory?(beforeMs: number): Promise<WindowHistory>;
}

/**
 * The LiveState at `atMs` of an incident, rebuilt from the engine core stored at or before it
 * through the live path's own `buildLiveState`: replay cannot disagree with what was shown.
 * Probe results are not kept per sample, so replayed nodes carry none.
 */
export async function replayAt(src: ReplaySources, atMs: number, config: HqwatchConfig): Promise<ReplayResult> {
  const incident = src.incident;
  if (!incident) return { ok: false, reason: 'not-found' };
  const endMs = incident.endedAt ?? Math.max(src.asOfMs, incident.startedAt);
  const stored = atMs >= incident.startedAt && atMs <= endMs ? await src.coreAt(atMs) : null;
  if (!stored) return { ok: false, reason: 'outside', startedAt: toIso(incident.startedAt), endedAt: toIso(endMs) };
  const beforeMs = stored.core.hq.window ? toMs(stored.core.hq.window.startedAt) : atMs;
  const [running, windowHistory] = await Promise.all([src.monitored(atMs), src.windowHistory?.(beforeMs)]);
  const monitor = running ? { healthy: true } : { healthy: false, reason: 'The monitor was not running at this moment' };
  return { ok: true, state: buildLiveState({ config, core: stored.core, now: toIso(atMs), seq: 0, monitor, windowHistory }) };
}
