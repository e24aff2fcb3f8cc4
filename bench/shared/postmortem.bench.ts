/**
 * Benchmark of the postmortem's composition (`composePostmortem`: summary, impact table with
 * user-minutes, site groups, key events, Call Manager address) for a 500-site incident with a
 * failover and a failback, against JSON.stringify of the same detail (what the JSON export pays)
 * measured in the same run. Goal: under 50 ms, so the Markdown export and the incident header stay
 * instant at the largest topology.
 *
 * Run: npx tsx bench/shared/postmortem.bench.ts
 */
import { composePostmortem, SERVICE_KEYS } from '@hqwatch/shared';
import type { IncidentDetail, ServiceKey, SiteImpact, TimelineEntry } from '@hqwatch/shared';

const host = globalThis as unknown as {
  performance: { now(): number };
  console: { log(...args: unknown[]): void };
  process?: { argv: string[] };
};

const SITES = 500;
const GOAL_MS = 50;
const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

export interface PostmortemBenchFigures {
  sites: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  goalMs: number;
  withinGoal: boolean;
  jsonMedianMs: number;
  groups: number;
}

/** 500 sites homed in a dozen ways: each loses some services in the failover (1–13 min) and the failback (35–43 min). */
function largeDetail(): IncidentDetail {
  const lost: ServiceKey[][] = [
    ['telephony', 'video', 'voicemail', 'drsIntersite'],
    ['voicemail', 'drsIntersite'],
    ['telephony', 'video'],
    ['drsIntersite'],
    ['voicemail'],
    [],
  ];
  const impact: SiteImpact[] = Array.from({ length: SITES }, (_, i) => {
    const services = [...lost[i % lost.length]!, 'configChanges', 'accountCodes', 'workgroups'] as ServiceKey[];
    return {
      siteId: `site-${i}`,
      name: `Site ${i}`,
      userCount: 20 + (i % 9) * 15,
      services: services.map((service) => ({
        service,
        downMs: 20 * 60_000,
        intervals: [
          { status: 'down', from: at(1), to: at(13), durationMs: 12 * 60_000, reasonCode: 'via', params: [] },
          { status: 'down', from: at(35), to: at(43), durationMs: 8 * 60_000, reasonCode: 'via', params: [] },
        ],
      })),
    };
  });
  const windowClosed = (kind: 'failover' | 'failback', from: number, to: number): TimelineEntry => ({
    type: 'window-closed',
    at: at(to),
    incidentId: 'inc',
    kind,
    startedAt: at(from),
    endedAt: at(to),
    durationMs: (to - from) * 60_000,
    expectedMinMs: 300_000,
    expectedMaxMs: 1_200_000,
    overrun: false,
  });
  const timeline: TimelineEntry[] = [
    { type: 'node-status', at: at(1), incidentId: 'inc', nodeId: 'primary', from: 'serving', to: 'reachable', flapping: false },
    { type: 'hq-transition', at: at(1), incidentId: 'inc', from: 'primary-active', to: 'failing-over', window: null },
    ...SERVICE_KEYS.map((service): TimelineEntry => ({
      type: 'impact',
      at: at(1),
      incidentId: 'inc',
      service,
      from: 'ok',
      to: 'down',
      siteIds: impact.map((s) => s.siteId),
    })),
    { type: 'hq-transition', at: at(13), incidentId: 'inc', from: 'failing-over', to: 'secondary-active', window: null },
    windowClosed('failover', 1, 13),
    { type: 'hq-transition', at: at(35), incidentId: 'inc', from: 'secondary-active', to: 'failing-back', window: null },
    { type: 'hq-transition', at: at(43), incidentId: 'inc', from: 'failing-back', to: 'primary-active', window: null },
    windowClosed('failback', 35, 43),
  ];
  return {
    incident: {
      id: 'inc',
      startedAt: at(1),
      endedAt: at(44),
      durationMs: 43 * 60_000,
      noServiceMs: 20 * 60_000,
      windows: [],
      worstImpact: null,
      annotationCount: 0,
    },
    timeline,
    impact,
    asOf: at(44),
    servers: [
      { id: 'primary', name: 'HQ primary', role: 'hq-primary', address: '10.1.0.10' },
      { id: 'secondary', name: 'HQ secondary', role: 'hq-secondary', address: '10.2.0.10' },
    ],
  };
}

function median(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! };
}

export function runPostmortemBench(runs = 60): PostmortemBenchFigures {
  const detail = largeDetail();
  const timed = (fn: () => unknown) =>
    Array.from({ length: runs }, () => {
      const start = host.performance.now();
      fn();
      return host.performance.now() - start;
    });
  for (let i = 0; i < 5; i++) composePostmortem(detail, { zone: 'Europe/Berlin' });
  const compose = median(timed(() => composePostmortem(detail, { zone: 'Europe/Berlin' })));
  const json = median(timed(() => JSON.stringify(detail, null, 2)));
  const groups = composePostmortem(detail).groups.length;
  return {
    sites: SITES,
    runs,
    medianMs: compose.median,
    p95Ms: compose.p95,
    goalMs: GOAL_MS,
    withinGoal: compose.median < GOAL_MS,
    jsonMedianMs: json.median,
    groups,
  };
}

if (host.process?.argv[1]?.endsWith('postmortem.bench.ts')) host.console.log(runPostmortemBench());
