import type { HqState, NodeRole, NodeStatus, ServiceKey, ServiceStatus } from '@hqwatch/shared';

/** Tones map to theme colours; every tone is always shown with a word or glyph as well. */
export type Tone = 'ok' | 'warn' | 'bad' | 'unknown' | 'muted' | 'info';

export interface StatusLook {
  word: string;
  glyph: string;
  tone: Tone;
}

export const SERVICE_STATUS: Record<ServiceStatus, StatusLook> = {
  ok: { word: 'OK', glyph: '✓', tone: 'ok' },
  down: { word: 'Down', glyph: '✕', tone: 'bad' },
  unknown: { word: 'Unknown', glyph: '?', tone: 'unknown' },
  'n/a': { word: 'N/A', glyph: '–', tone: 'muted' },
};

export const NODE_STATUS: Record<NodeStatus, StatusLook> = {
  serving: { word: 'Serving', glyph: '✓', tone: 'ok' },
  reachable: { word: 'Reachable', glyph: '◐', tone: 'warn' },
  down: { word: 'Down', glyph: '✕', tone: 'bad' },
  unknown: { word: 'Unknown', glyph: '?', tone: 'unknown' },
};

export const HQ_STATE: Record<HqState, StatusLook> = {
  starting: { word: 'Starting', glyph: '…', tone: 'unknown' },
  'primary-active': { word: 'Primary active', glyph: '✓', tone: 'ok' },
  'failing-over': { word: 'Failing over', glyph: '⇄', tone: 'bad' },
  'secondary-active': { word: 'Secondary active', glyph: '◐', tone: 'warn' },
  'failing-back': { word: 'Failing back', glyph: '⇄', tone: 'bad' },
  'hq-down': { word: 'HQ down', glyph: '✕', tone: 'bad' },
  'dual-active': { word: 'Dual active', glyph: '‼', tone: 'bad' },
  'monitor-blind': { word: 'Monitor blind', glyph: '?', tone: 'unknown' },
};

export const ROLE_LABEL: Record<NodeRole, string> = {
  'hq-primary': 'HQ primary',
  'hq-secondary': 'HQ secondary',
  distributed: 'Distributed server',
};

export const SERVICE_LABEL: Record<ServiceKey, string> = {
  telephony: 'Telephony',
  video: 'Video',
  im: 'IM',
  voicemail: 'Voicemail',
  drsIntersite: 'Intersite (DRS)',
  configChanges: 'Config changes',
  accountCodes: 'Account codes',
  workgroups: 'Workgroups',
};

/** Column headers of the site matrix, short enough for eight columns on a laptop. */
export const SERVICE_SHORT: Record<ServiceKey, string> = {
  telephony: 'Phone',
  video: 'Video',
  im: 'IM',
  voicemail: 'Voicemail',
  drsIntersite: 'Intersite',
  configChanges: 'Config',
  accountCodes: 'Acct codes',
  workgroups: 'Workgroups',
};

/** Sort weight of a service status: the worse, the higher. */
export const SERVICE_SEVERITY: Record<ServiceStatus, number> = { down: 3, unknown: 2, ok: 1, 'n/a': 0 };
