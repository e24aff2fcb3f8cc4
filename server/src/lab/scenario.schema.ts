import { z } from 'zod';
import { durationSchema, HQ_STATES, SERVICE_KEYS, type ServiceKey } from '@hqwatch/shared';
import { NODE_STATES } from './node-state.ts';

/** What scenario references are checked against: the ids of the topology it will play on. */
export interface ScenarioContext {
  nodeIds: readonly string[];
  siteIds?: readonly string[];
}

function reference(kind: string, known: readonly string[] | undefined) {
  const ids = known && new Set(known);
  return z.string().superRefine((id, ctx) => {
    if (ids && !ids.has(id))
      ctx.addIssue({ code: 'custom', input: id, message: `unknown ${kind} "${id}" (known: ${[...ids].join(', ')})` });
  });
}

/**
 * A scenario file. Times (`at`, `after`, `duration`) are real-world times; `speed` divides them
 * when played. `latencyMs` and `periodMs` are not scaled: they shape what each probe sees, and the
 * monitor's probe cadence does not change with the scenario's speed.
 */
export function scenarioSchema(context: ScenarioContext) {
  const nodeId = reference('node', context.nodeIds);
  const siteId = reference('site', context.siteIds);

  const step = z
    .strictObject({
      at: durationSchema,
      node: nodeId,
      state: z.enum(NODE_STATES),
      latencyMs: z.number().min(0).optional(),
      periodMs: z.number().int().min(1).optional(),
    })
    .superRefine((s, ctx) => {
      if (s.latencyMs !== undefined && s.state !== 'slow')
        ctx.addIssue({ code: 'custom', path: ['latencyMs'], message: 'latencyMs only applies to state slow' });
      if (s.periodMs !== undefined && s.state !== 'flapping')
        ctx.addIssue({ code: 'custom', path: ['periodMs'], message: 'periodMs only applies to state flapping' });
    });

  const serviceStatus = z.enum(['ok', 'down', 'unknown', 'n/a']).optional();
  const services = Object.fromEntries(SERVICE_KEYS.map((key) => [key, serviceStatus])) as Record<ServiceKey, typeof serviceStatus>;
  /** What the monitor should show once the steps up to `after` are applied and debounced. */
  const expectation = z.strictObject({
    after: durationSchema,
    hq: z.enum(HQ_STATES).optional(),
    /** The open window's kind, or null for none. */
    window: z.enum(['failover', 'failback', 'outage']).nullable().optional(),
    overrun: z.boolean().optional(),
    /** Which HQ server Call Manager users must use, or null for none. */
    callManager: z.enum(['primary', 'secondary']).nullable().optional(),
    /** Whether the HQ server that would take over is ready to (`hq.standby`). */
    standby: z.enum(['ready', 'not-ready', 'unknown']).optional(),
    /** Why HQ is down (`hq.cause`), or null outside `hq-down`. */
    cause: z.enum(['both-down', 'target-down', 'target-unknown', 'direction-unknown']).nullable().optional(),
    /** The kind recorded for the last window that closed, decided by how it ended. */
    closedWindow: z.enum(['failover', 'failback', 'outage']).optional(),
    /** Whether an incident is open. */
    incident: z.boolean().optional(),
    nodes: z
      .array(
        z.strictObject({
          node: nodeId,
          status: z.enum(['serving', 'reachable', 'down', 'unknown']).optional(),
          flapping: z.boolean().optional(),
        }),
      )
      .optional(),
    sites: z.array(z.strictObject({ site: siteId, ...services })).optional(),
    note: z.string().optional(),
  });

  return z
    .strictObject({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'names are lower-case letters, digits and -'),
      description: z.string().min(1),
      speed: z.number().positive().max(100_000).default(1),
      loop: z.boolean().default(false),
      /** Length of one pass; the last step's time when absent. A loop starts over after it. */
      duration: durationSchema.optional(),
      steps: z.array(step).min(1, 'a scenario needs at least one step'),
      expect: z.array(expectation).default([]),
    })
    .superRefine((s, ctx) => {
      const last = Math.max(...s.steps.map((st) => st.at));
      if (s.duration !== undefined && s.duration < last)
        ctx.addIssue({ code: 'custom', path: ['duration'], message: 'duration is shorter than the last step' });
      if (s.loop && (s.duration ?? last) === 0)
        ctx.addIssue({ code: 'custom', path: ['duration'], message: 'a looping scenario needs a duration above 0' });
    })
    .transform((s) => ({
      name: s.name,
      description: s.description,
      speed: s.speed,
      loop: s.loop,
      durationMs: s.duration ?? Math.max(...s.steps.map((st) => st.at)),
      // Stable sort: steps at the same time keep their file order.
      steps: s.steps.map(({ at, ...rest }) => ({ atMs: at, ...rest })).sort((a, b) => a.atMs - b.atMs),
      expect: s.expect.map(({ after, ...rest }) => ({ afterMs: after, ...rest })),
    }));
}

/** A validated scenario, times in real-world milliseconds. */
export type Scenario = z.output<ReturnType<typeof scenarioSchema>>;
export type ScenarioStep = Scenario['steps'][number];
export type ScenarioExpectation = Scenario['expect'][number];
