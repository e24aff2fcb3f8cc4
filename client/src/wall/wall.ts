import { parseDuration } from '@hqwatch/shared';

export const WALL_PANES = ['overview', 'sites', 'charts'] as const;
export type WallPane = (typeof WALL_PANES)[number];

export interface WallPlan {
  panes: WallPane[];
  /** Time on each pane, or null to stay on the first one. */
  rotateMs: number | null;
}

/** Shortest time on a pane: anything faster cannot be read from across the room. */
export const MIN_ROTATE_MS = 5_000;

function first(value: unknown): string | null {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === 'string' ? item : null;
}

/**
 * What the wall shows, from its URL: `/wall?rotate=30s&views=overview,sites,charts`.
 * `rotate` takes a duration (`30s`, `2m`) or plain seconds; `views` the panes in order.
 * Bad values fall back to the overview alone, never to an error on a screen nobody can click.
 */
export function planWall(query: Record<string, unknown>): WallPlan {
  const listed = (first(query.views) ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name): name is WallPane => (WALL_PANES as readonly string[]).includes(name));
  const rotateText = first(query.rotate);
  const rotateMs = rotateText === null ? null : /^\d+(\.\d+)?$/.test(rotateText) ? Number(rotateText) * 1000 : parseDuration(rotateText);
  const panes = listed.length ? [...new Set(listed)] : rotateMs ? [...WALL_PANES] : ['overview' as const];
  return { panes, rotateMs: rotateMs && panes.length > 1 ? Math.max(MIN_ROTATE_MS, rotateMs) : null };
}
