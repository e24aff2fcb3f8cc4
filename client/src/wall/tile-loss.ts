import { GLOBAL_SERVICES, SERVICE_KEYS, type ServiceKey, type SiteView } from '@hqwatch/shared';

/** What a site tile on the wall is coloured by: its worst loss, worst first. */
export const TILE_KINDS = ['telephony', 'voicemail', 'intersite', 'unknown', 'at-risk', 'ok'] as const;
export type TileKind = (typeof TILE_KINDS)[number];

export interface TileLook {
  /** The legend's words. */
  word: string;
  /** Drawn on every tile of the kind: the signal that does not depend on colour. */
  glyph: string;
  /** The tile's border style: a second signal without colour (solid, dashed, dotted, double). */
  border: 'solid' | 'dashed' | 'dotted' | 'double' | 'none';
}

export const TILE_LOOK: Record<TileKind, TileLook> = {
  telephony: { word: 'No CM telephony', glyph: '✕', border: 'solid' },
  voicemail: { word: 'No voicemail', glyph: '✉', border: 'dashed' },
  intersite: { word: 'No intersite (DRS)', glyph: '⇆', border: 'dotted' },
  unknown: { word: 'Unknown', glyph: '?', border: 'double' },
  'at-risk': { word: 'At risk', glyph: '!', border: 'double' },
  ok: { word: 'Nothing lost', glyph: '✓', border: 'none' },
};

/** Services a site can lose on its own (config changes, account codes and workgroups go everywhere at once). */
const OWN_SERVICES = SERVICE_KEYS.filter((key) => !GLOBAL_SERVICES.includes(key));

/** The site's own services that are down, in the order of SERVICE_KEYS. */
export function lostServices(site: SiteView): ServiceKey[] {
  return OWN_SERVICES.filter((key) => site.services[key]?.status === 'down');
}

/**
 * A site's worst loss: Call Manager telephony (or video, which goes with it), then voicemail, then
 * intersite calls; then a status nobody knows, then the split-brain "at risk"; else nothing lost.
 * IM is left out of "unknown": the notes say it is kept only in some cases, so it is unknown by rule.
 */
export function tileKind(site: SiteView): TileKind {
  const s = site.services;
  if (s.telephony?.status === 'down' || s.video?.status === 'down') return 'telephony';
  if (s.voicemail?.status === 'down') return 'voicemail';
  if (s.drsIntersite?.status === 'down') return 'intersite';
  const own = OWN_SERVICES.filter((key) => key !== 'im');
  if (own.some((key) => s[key]?.status === 'unknown')) return 'unknown';
  if (SERVICE_KEYS.some((key) => s[key]?.atRisk)) return 'at-risk';
  return 'ok';
}
