import type { HqState, NodeRole, NodeStatus, ServiceKey, ServiceState, ServiceStatus, StandbyStatus } from '@hqwatch/shared';

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

/**
 * The notes' telephony and video are Call Manager's (the desktop client): desk phones controlled by
 * the voice switches are another matter, which hqwatch does not monitor. Labels say so.
 */
export const SERVICE_LABEL: Record<ServiceKey, string> = {
  telephony: 'Call Manager telephony',
  video: 'Call Manager video',
  im: 'IM',
  voicemail: 'Voicemail',
  drsIntersite: 'Intersite (DRS)',
  configChanges: 'Config changes',
  accountCodes: 'Account codes',
  workgroups: 'Workgroups',
};

/** Column headers of the site matrix, short enough for eight columns on a laptop. */
export const SERVICE_SHORT: Record<ServiceKey, string> = {
  telephony: 'CM phone',
  video: 'CM video',
  im: 'IM',
  voicemail: 'Voicemail',
  drsIntersite: 'Intersite',
  configChanges: 'Config',
  accountCodes: 'Acct codes',
  workgroups: 'Workgroups',
};

/** Sort weight of a service status: the worse, the higher. */
export const SERVICE_SEVERITY: Record<ServiceStatus, number> = { down: 3, unknown: 2, ok: 1, 'n/a': 0 };

/** Said beside Call Manager telephony and video wherever there is room for a sentence. */
export const CALL_MANAGER_NOTE =
  'Call Manager (the desktop client) telephony and video. Desk phones controlled by the voice switches are another matter: hqwatch does not monitor them.';

/** A status computed on the split-brain assumption: shown as at risk, never as a plain green OK. */
export const AT_RISK: StatusLook = { word: 'At risk', glyph: '!', tone: 'warn' };

/** Why a status is at risk, in one sentence. */
export const AT_RISK_TEXT = 'Computed as if HQ services were answered: both HQ servers claim to be HQ (split brain)';

/**
 * How one service of a site looks: its status, except that an OK computed on the split-brain
 * assumption is "At risk" (warn tone, `!`), so a site never looks plain green then. A loss stays a
 * loss; its at-risk mark is shown beside it.
 */
export function serviceLook(service: ServiceState): StatusLook {
  return service.atRisk && service.status === 'ok' ? AT_RISK : SERVICE_STATUS[service.status];
}

/** Whether the HQ server that would take over is ready to. */
export const STANDBY_STATUS: Record<StandbyStatus, StatusLook> = {
  ready: { word: 'Ready', glyph: '✓', tone: 'ok' },
  'not-ready': { word: 'Not ready', glyph: '✕', tone: 'bad' },
  unknown: { word: 'Unknown', glyph: '?', tone: 'unknown' },
};

/** Why HQ is down, in words: shared with the exports, so the review and the postmortem say it alike. */
export { HQ_DOWN_CAUSE, hqDownCauseText } from '@hqwatch/shared';
