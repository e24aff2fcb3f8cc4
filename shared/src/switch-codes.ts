/**
 * Meanings of the numbers ShoreWare's status database keeps: a voice switch's `Service` status
 * code (`heapswitchstatus`) and a Windows service's `CurrentState` (`heapservicestatus`).
 */

/** The only code ShoreWare calls "in service". */
export const SWITCH_IN_SERVICE = 110;
/** The switch's managing server cannot reach it: what a failover window does to HQ-managed switches. */
export const SWITCH_LOST_COMMUNICATION = 490;
/** No status known. */
export const SWITCH_UNKNOWN = 0;

/** How a switch status reads at a glance; never shown without its words. */
export type SwitchTone = 'ok' | 'info' | 'warn' | 'bad' | 'unknown';

interface CodeMeaning {
  text: string;
  tone: SwitchTone;
}

/**
 * The codes the issue lists, in the words of ShoreWare's Diagnostics & Monitoring. The finer codes
 * inside 325–380 (which ports or trunks) are those read by public Nagios plugins for ShoreTel; any
 * other code in that range keeps the range's meaning.
 */
const MEANINGS: ReadonlyMap<number, CodeMeaning> = new Map([
  [0, { text: 'unknown', tone: 'unknown' }],
  [110, { text: 'in service', tone: 'ok' }],
  [210, { text: 'firmware update available', tone: 'info' }],
  [220, { text: 'restart pending', tone: 'info' }],
  [230, { text: 'upgrade in progress', tone: 'warn' }],
  [325, { text: 'a port out of service', tone: 'warn' }],
  [330, { text: 'a hunt group out of service', tone: 'warn' }],
  [340, { text: 'SIP trunks out of service', tone: 'warn' }],
  [343, { text: 'SIP trunks out of service (operational)', tone: 'warn' }],
  [345, { text: 'SIP trunks out of service (administrative)', tone: 'warn' }],
  [347, { text: 'ports out of service (busy)', tone: 'warn' }],
  [349, { text: 'ports out of service (not acquired)', tone: 'warn' }],
  [350, { text: 'soft phones out of service', tone: 'warn' }],
  [354, { text: 'soft phones out of service (operational)', tone: 'warn' }],
  [357, { text: 'soft phones out of service (administrative)', tone: 'warn' }],
  [360, { text: 'IP phones out of service', tone: 'warn' }],
  [364, { text: 'IP phones out of service (operational)', tone: 'warn' }],
  [367, { text: 'IP phones out of service (administrative)', tone: 'warn' }],
  [370, { text: 'some ports out of service', tone: 'warn' }],
  [380, { text: 'all ports out of service', tone: 'bad' }],
  [383, { text: 'platform version mismatch', tone: 'warn' }],
  [387, { text: 'booting from FTP', tone: 'warn' }],
  [390, { text: 'firmware mismatch', tone: 'warn' }],
  [410, { text: 'configuration mismatch', tone: 'warn' }],
  [430, { text: 'D-channel down', tone: 'bad' }],
  [440, { text: 'fan failure', tone: 'bad' }],
  [450, { text: 'temperature failure', tone: 'bad' }],
  [460, { text: 'voltage failure', tone: 'bad' }],
  [470, { text: 'firmware update failure', tone: 'bad' }],
  [480, { text: 'disk failure', tone: 'bad' }],
  [490, { text: 'lost communication', tone: 'bad' }],
]);

function meaningOf(code: number): CodeMeaning {
  const known = MEANINGS.get(code);
  if (known) return known;
  if (code >= 325 && code <= 380) return { text: 'ports or trunks out of service', tone: 'warn' };
  return { text: `status code ${code} (not known to hqwatch)`, tone: 'unknown' };
}

/** A switch status code in words, e.g. `490` → "lost communication". */
export function switchCodeText(code: number): string {
  return meaningOf(code).text;
}

/** How a switch status code reads at a glance. */
export function switchCodeTone(code: number): SwitchTone {
  return meaningOf(code).tone;
}

/**
 * Rank of a code when picking a site's worst switch: ShoreWare numbers its conditions by
 * severity, so a higher code is worse; in service ranks lowest and an unknown status (0) just
 * above it, below every condition that is known.
 */
export function switchSeverity(code: number): number {
  if (code === SWITCH_IN_SERVICE) return 0;
  if (code === SWITCH_UNKNOWN) return 1;
  return code;
}

/** `CurrentState` of a running Windows service. */
export const SERVICE_RUNNING = 4;

/**
 * `CurrentState` in words. The status database copies the Windows service control manager's
 * states (1 stopped … 7 paused); the issue documents only 4 = running, the rest are Windows'.
 */
export function serviceStateText(state: number): string {
  switch (state) {
    case 1:
      return 'stopped';
    case 2:
      return 'starting';
    case 3:
      return 'stopping';
    case 4:
      return 'running';
    case 5:
      return 'resuming';
    case 6:
      return 'pausing';
    case 7:
      return 'paused';
    default:
      return `state ${state}`;
  }
}
