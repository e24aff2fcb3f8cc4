import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { isoTimeSchema } from './history-api.ts';

/**
 * A planned maintenance window (a drill, a planned failover): alerts inside it are recorded but
 * not sent (a resolve of a thread that was sent still is), and the incidents and windows that start
 * inside it are marked planned in history, charts and exports.
 */
export interface MaintenanceWindow {
  id: string;
  from: string;
  to: string;
  reason: string;
  createdAt: string;
}

/** Longest reason accepted, in characters. */
export const MAINTENANCE_REASON_MAX = 500;

/**
 * Body of `POST /api/maintenance` (and `hqwatch maintenance add`): `from` defaults to now (a window
 * opened on the spot); the end is `to`, or `from` plus `duration` (`30m`, `2h`).
 */
export const maintenanceInputSchema = z
  .strictObject({
    from: isoTimeSchema.optional(),
    to: isoTimeSchema.optional(),
    duration: z
      .string()
      .refine((text) => (parseDuration(text) ?? 0) > 0, 'expected a duration such as 30m or 2h')
      .optional(),
    reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason is empty').max(MAINTENANCE_REASON_MAX, 'reason is too long'),
  })
  .refine((input) => (input.to === undefined) !== (input.duration === undefined), {
    message: 'give either to or duration',
    path: ['to'],
  });
export type MaintenanceInput = z.output<typeof maintenanceInputSchema>;

/** The window's start and end in ms from an input at `nowMs`, or a message saying what is wrong. */
export function maintenanceSpan(
  input: MaintenanceInput,
  nowMs: number,
): { fromMs: number; toMs: number } | { error: string; field: string } {
  const fromMs = input.from === undefined ? nowMs : Date.parse(input.from);
  const toMs = input.to !== undefined ? Date.parse(input.to) : fromMs + (parseDuration(input.duration ?? '') ?? 0);
  if (toMs <= fromMs) return { error: 'to: must be after from', field: 'to' };
  if (toMs <= nowMs) return { error: 'to: the window would be over already', field: 'to' };
  return { fromMs, toMs };
}

/** The window in force at `atMs` (the one that started last, if several overlap), or null. */
export function maintenanceAt(windows: readonly MaintenanceWindow[], atMs: number): MaintenanceWindow | null {
  let found: MaintenanceWindow | null = null;
  for (const w of windows) {
    if (Date.parse(w.from) <= atMs && atMs < Date.parse(w.to) && (!found || Date.parse(w.from) > Date.parse(found.from))) found = w;
  }
  return found;
}

/** The reason of the maintenance window `atMs` falls in, or null: what marks an incident or a window planned. */
export function plannedReason(windows: readonly MaintenanceWindow[], atMs: number): string | null {
  return maintenanceAt(windows, atMs)?.reason ?? null;
}

/** Merged [from, to) spans of the windows in milliseconds, in order: the planned time of a range. */
export function plannedSpans(windows: readonly MaintenanceWindow[], fromMs: number, toMs: number): [number, number][] {
  const spans = windows
    .map((w): [number, number] => [Math.max(Date.parse(w.from), fromMs), Math.min(Date.parse(w.to), toMs)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of spans) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}
