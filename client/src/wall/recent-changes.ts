/** How long a tile stays marked after it changed. */
export const RECENT_MS = 60_000;

export interface Seen {
  signature: string;
  /** When the signature last changed; null when it has not changed since first seen. */
  changedAt: number | null;
}

/**
 * The tiles' change record after a new state at `now`: a site whose signature differs from the one
 * seen before changed now; a site seen for the first time (the first state, or a site added) has not
 * changed, so a wall that starts or reloads does not light up everything. Sites that are gone are
 * forgotten, so the record never grows past the sites there are.
 */
export function recordChanges(
  previous: ReadonlyMap<string, Seen>,
  sites: readonly { id: string; signature: string }[],
  now: number,
): Map<string, Seen> {
  const next = new Map<string, Seen>();
  for (const site of sites) {
    const seen = previous.get(site.id);
    if (!seen) next.set(site.id, { signature: site.signature, changedAt: null });
    else if (seen.signature !== site.signature) next.set(site.id, { signature: site.signature, changedAt: now });
    else next.set(site.id, seen);
  }
  return next;
}

/** Whether a tile is marked as changed at `now`. */
export function isRecent(seen: Seen | undefined, now: number): boolean {
  return !!seen && seen.changedAt !== null && now - seen.changedAt < RECENT_MS;
}
