import { formatDuration, parseDuration } from './duration.ts';
import type { ConfigError } from './config-error.ts';
import { HQ_REF, PRIMARY_ID, SECONDARY_ID } from './types.ts';

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : null;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Checks what the schema cannot: ids unique, every reference naming a known server, DRS paths naming
 * servers with DRS, thresholds in order. It reads the raw document defensively so that these errors
 * are reported together with the schema's, not after the schema errors are fixed.
 */
export function crossCheck(raw: unknown): ConfigError[] {
  const errors: ConfigError[] = [];
  const doc = asRecord(raw);
  if (!doc) return errors;
  const reserved = new Set([HQ_REF, PRIMARY_ID, SECONDARY_ID]);
  const servers = new Map<string, { drs: boolean }>();
  asArray(doc.servers).forEach((entry, i) => {
    const server = asRecord(entry);
    if (!server || typeof server.id !== 'string') return;
    const path = `servers[${i}].id`;
    if (reserved.has(server.id)) errors.push({ path, message: `"${server.id}" is reserved for the HQ pair` });
    else if (servers.has(server.id)) errors.push({ path, message: `duplicate server id "${server.id}"` });
    else servers.set(server.id, { drs: server.drs === true });
  });
  const siteIds = new Set<string>();
  asArray(doc.sites).forEach((entry, i) => {
    const site = asRecord(entry);
    if (!site) return;
    if (typeof site.id === 'string') {
      if (siteIds.has(site.id)) errors.push({ path: `sites[${i}].id`, message: `duplicate site id "${site.id}"` });
      siteIds.add(site.id);
    }
    for (const field of ['users', 'voicemail'] as const) {
      const ref = site[field];
      if (typeof ref === 'string' && ref !== HQ_REF && !servers.has(ref)) {
        errors.push({ path: `sites[${i}].${field}`, message: `unknown server "${ref}" (use "hq" or a server id)` });
      }
    }
    asArray(site.drs).forEach((ref, j) => {
      if (typeof ref !== 'string' || ref === HQ_REF) return;
      const server = servers.get(ref);
      const path = `sites[${i}].drs[${j}]`;
      if (!server) errors.push({ path, message: `unknown server "${ref}" (use "hq" or a server id)` });
      else if (!server.drs) errors.push({ path, message: `server "${ref}" has no DRS (set drs: true on it)` });
    });
  });
  const monitor = asRecord(doc.monitor);
  const window = asRecord(monitor?.expectedWindow);
  const min = typeof window?.min === 'string' ? parseDuration(window.min) : null;
  const max = typeof window?.max === 'string' ? parseDuration(window.max) : null;
  if (min !== null && max !== null && min > max) errors.push({ path: 'monitor.expectedWindow.min', message: 'min is longer than max' });
  const flap = asRecord(monitor?.flap);
  if (typeof flap?.enter === 'number' && typeof flap.leave === 'number' && flap.leave > flap.enter) {
    errors.push({ path: 'monitor.flap.leave', message: 'the leave threshold is above the enter threshold' });
  }
  errors.push(...timeoutsCheck(doc));
  return errors;
}

/** A duration field of the raw document in ms, the default when absent, null when unreadable. */
function durationField(record: Loose | null, key: string, fallback: number | null): number | null {
  const value = record?.[key];
  if (value === undefined) return fallback;
  return typeof value === 'string' ? parseDuration(value) : null;
}

/**
 * Every timeout must end before the next round starts: a probe still running then would overlap
 * the next one, so rounds would pile up behind a silent node and come late. The defaults (interval
 * 2s, timeout 1s) apply where a value is absent; unreadable values are the schema's to report.
 */
function timeoutsCheck(doc: Loose): ConfigError[] {
  const errors: ConfigError[] = [];
  const monitor = asRecord(doc.monitor);
  const interval = durationField(monitor, 'interval', 2_000);
  if (interval === null || interval <= 0) return errors;
  const shorter = (path: string, timeout: number | null) => {
    if (timeout !== null && timeout >= interval)
      errors.push({
        path,
        message: `must be shorter than monitor.interval (${formatDuration(interval)}): a probe still running would overlap the next round`,
      });
  };
  shorter('monitor.timeout', durationField(monitor, 'timeout', null));
  const probesOf = (node: unknown, path: string) =>
    asArray(asRecord(node)?.probes).forEach((probe, i) =>
      shorter(`${path}.probes[${i}].timeout`, durationField(asRecord(probe), 'timeout', null)),
    );
  const hq = asRecord(doc.headquarters);
  probesOf(hq?.primary, 'headquarters.primary');
  probesOf(hq?.secondary, 'headquarters.secondary');
  asArray(doc.servers).forEach((server, i) => probesOf(server, `servers[${i}]`));
  asArray(monitor?.witness).forEach((probe, i) =>
    shorter(`monitor.witness[${i}].timeout`, durationField(asRecord(probe), 'timeout', null)),
  );
  // With the default timeout kept, a short interval overlaps too.
  if (monitor?.timeout === undefined && interval <= 1_000)
    errors.push({
      path: 'monitor.interval',
      message: `must be longer than monitor.timeout (1s by default): set a shorter monitor.timeout`,
    });
  return errors;
}
