import type { IncidentSummary } from '@hqwatch/shared';
import { formatInstant } from './format.ts';

/** The stretch of time an incident covers, in ms; an open incident runs to the last recorded moment. */
export interface Span {
  startMs: number;
  endMs: number;
}

export const PLAY_SPEEDS = [1, 10, 60] as const;
export type PlaySpeed = (typeof PLAY_SPEEDS)[number];

export function spanOf(incident: Pick<IncidentSummary, 'startedAt' | 'endedAt' | 'durationMs'>, asOf: string | null): Span {
  const startMs = Date.parse(incident.startedAt);
  const ended = incident.endedAt ?? asOf;
  const endMs = ended === null ? startMs + incident.durationMs : Date.parse(ended);
  return { startMs, endMs: Math.max(startMs, endMs) };
}

export function clampTime(ms: number, span: Span): number {
  return Math.min(span.endMs, Math.max(span.startMs, ms));
}

/** The default moment to show: the middle of the first window, else the start. */
export function defaultMoment(incident: Pick<IncidentSummary, 'windows'>, span: Span): number {
  const first = incident.windows[0];
  if (!first) return span.startMs;
  const from = Date.parse(first.startedAt);
  return clampTime(from + Math.floor(first.durationMs / 2), span);
}

export type AtParam = { kind: 'none' } | { kind: 'ok'; ms: number } | { kind: 'invalid' | 'outside'; message: string };

/** Reads the `at` of a deep link against the incident's span, with a message a person can act on. */
export function parseAtParam(value: unknown, span: Span, utc: boolean): AtParam {
  if (value === undefined || value === null || value === '') return { kind: 'none' };
  const text = Array.isArray(value) ? value[0] : value;
  const ms = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    return { kind: 'invalid', message: `"${String(text)}" is not a time. Links take an ISO 8601 time such as 2026-01-31T14:05:00Z.` };
  if (ms < span.startMs || ms > span.endMs) {
    const zone = utc ? 'UTC' : 'local time';
    return {
      kind: 'outside',
      message: `${formatInstant(ms, utc)} is outside this incident, which runs from ${formatInstant(span.startMs, utc)} to ${formatInstant(span.endMs, utc)} (${zone}).`,
    };
  }
  return { kind: 'ok', ms };
}

/** The `at` of a link to a moment: ISO 8601 UTC, to the millisecond so it reopens that exact moment. */
export function atParam(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * One frame of playback: `realMs` of wall time at `speed`× moves the replayed moment; it stops at
 * the end of the incident.
 */
export function playStep(atMs: number, realMs: number, speed: number, span: Span): { atMs: number; ended: boolean } {
  const next = atMs + Math.max(0, realMs) * speed;
  return next >= span.endMs ? { atMs: span.endMs, ended: true } : { atMs: next, ended: false };
}

/** Keyboard steps of the scrubber: a second, and a larger one that crosses the span in about 20 presses. */
export function scrubSteps(span: Span): { small: number; large: number } {
  const length = span.endMs - span.startMs;
  const large = Math.max(1000, Math.round(length / 20 / 1000) * 1000);
  return { small: 1000, large };
}
