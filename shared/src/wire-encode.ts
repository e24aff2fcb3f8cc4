/**
 * The LiveState into the socket's wire (`wire-types.ts`): the full state for `state:sync`, and the
 * delta of a round at the grain of a service. The server encodes each once per seq.
 */
import { diffState, sameValue } from './delta.ts';
import type { ServerServiceView, SiteSwitches } from './status-db-types.ts';
import type { LiveState, NodeView, ProbeView, ServiceState, SiteView, StateDelta } from './types.ts';
import { SERVICE_KEYS } from './types.ts';
import type {
  ServiceLetter,
  WireDelta,
  WireNode,
  WireProbe,
  WireProbeChange,
  WireServerService,
  WireService,
  WireSite,
  WireSiteGroup,
  WireState,
  WireSwitches,
} from './wire-types.ts';
import { SERVICE_LETTERS } from './wire-types.ts';

/** The message's table of service states: each distinct state once, sites refer to it by index. */
class ServiceTable {
  readonly entries: WireService[] = [];
  private readonly index = new Map<string, number>();

  add(service: ServiceState): number {
    const params = service.params?.length ? service.params : undefined;
    const key = `${service.status}\u0000${service.reasonCode ?? ''}\u0000${params ? JSON.stringify(params) : ''}\u0000${service.atRisk ? 1 : 0}`;
    let at = this.index.get(key);
    if (at === undefined) {
      const entry: WireService = { s: service.status };
      if (service.reasonCode !== undefined) entry.r = service.reasonCode;
      if (params) entry.p = params;
      if (service.atRisk) entry.k = 1;
      at = this.entries.push(entry) - 1;
      this.index.set(key, at);
    }
    return at;
  }
}

function probe({ kind, target, ok, latencyMs, error }: ProbeView): WireProbe {
  return error === undefined ? { k: kind, t: target, o: ok, l: latencyMs } : { k: kind, t: target, o: ok, l: latencyMs, e: error };
}

const serverServices = (services: readonly ServerServiceView[]): WireServerService[] =>
  services.map((s) => [s.name, s.displayName, s.state]);

function node(n: NodeView): WireNode {
  const wire: WireNode = { id: n.id, n: n.name, a: n.address, r: n.role, st: n.status, f: n.flapping, si: n.since, p: n.probes.map(probe) };
  if (n.services) wire.services = serverServices(n.services);
  return wire;
}

function probeChange(before: ProbeView, after: ProbeView): WireProbeChange | null {
  const change: WireProbeChange = {};
  if (before.ok !== after.ok) change.o = after.ok;
  if (before.latencyMs !== after.latencyMs) change.l = after.latencyMs;
  if (before.error !== after.error) change.e = after.error ?? null;
  return Object.keys(change).length ? change : null;
}

/** The fields of a node that changed; null when none did. */
function nodeChange(before: NodeView, after: NodeView): WireNode | null {
  const wire: WireNode = { id: after.id };
  if (before.name !== after.name) wire.n = after.name;
  if (before.address !== after.address) wire.a = after.address;
  if (before.role !== after.role) wire.r = after.role;
  if (before.status !== after.status) wire.st = after.status;
  if (before.flapping !== after.flapping) wire.f = after.flapping;
  if (before.since !== after.since) wire.si = after.since;
  const sameProbes =
    before.probes.length === after.probes.length &&
    before.probes.every((p, i) => p.kind === after.probes[i]!.kind && p.target === after.probes[i]!.target);
  if (!sameProbes) wire.p = after.probes.map(probe);
  else {
    const changes: Record<string, WireProbeChange> = {};
    after.probes.forEach((p, i) => {
      const change = probeChange(before.probes[i]!, p);
      if (change) changes[i] = change;
    });
    if (Object.keys(changes).length) wire.pc = changes;
  }
  if (!sameValue(before.services, after.services)) wire.services = after.services ? serverServices(after.services) : null;
  return Object.keys(wire).length > 1 ? wire : null;
}

function switches({ worst, missing, ...rest }: SiteSwitches): WireSwitches {
  return missing ? { ...rest, worst: worst?.code ?? null, missing } : { ...rest, worst: worst?.code ?? null };
}

const contradiction = (site: SiteView) =>
  site.contradictionCode === undefined
    ? null
    : site.contradictionParams?.length
      ? { r: site.contradictionCode, p: site.contradictionParams }
      : { r: site.contradictionCode };

function site(s: SiteView, table: ServiceTable, hqAddress: string | null): WireSite {
  const wire: WireSite = { id: s.id, n: s.name, s: SERVICE_KEYS.map((key) => table.add(s.services[key])) };
  if (s.callManagerAddress !== hqAddress) wire.cm = s.callManagerAddress;
  if (s.switches) wire.sw = switches(s.switches);
  const x = contradiction(s);
  if (x) wire.x = x;
  return wire;
}

const sameService = (a: ServiceState, b: ServiceState) =>
  a.status === b.status && a.reasonCode === b.reasonCode && !!a.atRisk === !!b.atRisk && sameValue(a.params ?? [], b.params ?? []);

/**
 * The fields of a site that changed, against `before`; `cmDefault` is the address the receiver
 * will give the site unless told otherwise. Null when nothing the wire carries changed.
 */
function siteChange(before: SiteView, after: SiteView, table: ServiceTable, cmDefault: string | null): WireSite | null {
  const wire: WireSite = { id: after.id };
  if (before.name !== after.name) wire.n = after.name;
  if (after.callManagerAddress !== cmDefault) wire.cm = after.callManagerAddress;
  const services: Partial<Record<ServiceLetter, number>> = {};
  let changed = 0;
  for (const key of SERVICE_KEYS) {
    if (sameService(before.services[key], after.services[key])) continue;
    services[SERVICE_LETTERS[key]] = table.add(after.services[key]);
    changed += 1;
  }
  // Every service changed: the array is shorter than the object.
  if (changed === SERVICE_KEYS.length) wire.s = SERVICE_KEYS.map((key) => services[SERVICE_LETTERS[key]]!);
  else if (changed) wire.s = services;
  if (!sameValue(before.switches, after.switches)) wire.sw = after.switches ? switches(after.switches) : null;
  if (before.contradictionCode !== after.contradictionCode || !sameValue(before.contradictionParams, after.contradictionParams))
    wire.x = contradiction(after);
  return Object.keys(wire).length > 1 ? wire : null;
}

/** The full state on the wire: what `state:sync` answers. */
export function encodeState(state: LiveState): WireState {
  const table = new ServiceTable();
  const sites = state.sites.map((s) => site(s, table, state.hq.activeAddress));
  const wire: WireState = {
    contractVersion: state.contractVersion,
    seq: state.seq,
    at: state.at,
    hq: state.hq,
    nodes: state.nodes.map(node),
    sites,
    incident: state.incident,
    monitor: state.monitor,
    impact: state.impact,
    svc: table.entries,
  };
  if (state.statusDb) wire.statusDb = state.statusDb;
  return wire;
}

/** The keys of `after` whose values differ from `before`'s. */
function changedFields<T extends object>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) if (!sameValue(before[key], after[key])) out[key] = after[key];
  return out;
}

const sameOrder = (a: readonly { id: string }[], b: readonly { id: string }[]) =>
  a.length === b.length && a.every((x, i) => x.id === b[i]!.id);

/**
 * The wire delta from `prev` to `next` at the grain of a service, a node field and a probe field;
 * `delta` is what {@link diffState} found changed between them (computed when not given).
 */
export function encodeDelta(prev: LiveState, next: LiveState, delta: StateDelta = diffState(prev, next)): WireDelta {
  const wire: WireDelta = { seq: delta.seq, at: delta.at };
  if (delta.hq) {
    const hq = changedFields(prev.hq, delta.hq);
    if (Object.keys(hq).length) wire.hq = hq;
  }
  if (delta.nodes) {
    const before = new Map(prev.nodes.map((n) => [n.id, n]));
    const nodes = delta.nodes.flatMap((n) => {
      const old = before.get(n.id);
      const change = old ? nodeChange(old, n) : node(n);
      return change ? [change] : [];
    });
    if (nodes.length) wire.nodes = nodes;
  }
  const sites = encodeSites(prev, delta, wire.hq?.activeAddress);
  if (sites.sites.length) {
    const { single, groups } = groupSites(sites.sites);
    if (single.length) wire.sites = single;
    if (groups.length) wire.sg = groups;
    wire.svc = sites.table.entries;
  }
  if (delta.removedNodes) wire.rn = delta.removedNodes;
  if (delta.removedSites) wire.rs = delta.removedSites;
  // A config reload may add, drop or reorder: the receiver then takes the new order.
  if (!sameOrder(prev.nodes, next.nodes)) wire.no = next.nodes.map((n) => n.id);
  if (!sameOrder(prev.sites, next.sites)) wire.so = next.sites.map((s) => s.id);
  if (delta.incident !== undefined) wire.incident = delta.incident;
  if (delta.monitor) wire.monitor = delta.monitor;
  if (delta.impact) {
    const impact = changedFields(prev.impact, delta.impact);
    if (Object.keys(impact).length) wire.impact = impact;
  }
  if (delta.statusDb !== undefined) wire.statusDb = delta.statusDb;
  return wire;
}

/**
 * Site changes that are nothing but the same services, gathered: each way of changing travels
 * once with the ids of its sites (`sg`). A change that more than one site does not share, or that
 * says more than its services, stays as it is.
 */
function groupSites(changes: WireSite[]): { single: WireSite[]; groups: WireSiteGroup[] } {
  const byServices = new Map<string, WireSiteGroup>();
  const single: WireSite[] = [];
  for (const change of changes) {
    if (change.s === undefined || Object.keys(change).length !== 2) {
      single.push(change);
      continue;
    }
    const key = JSON.stringify(change.s);
    const group = byServices.get(key);
    if (group) group[1].push(change.id);
    else byServices.set(key, [change.s, [change.id]]);
  }
  const groups: WireSiteGroup[] = [];
  for (const group of byServices.values()) {
    if (group[1].length > 1) groups.push(group);
    else single.push({ id: group[1][0]!, s: group[0] });
  }
  return { single, groups };
}

/**
 * The changed sites. When `hq.activeAddress` changes (`hqAddress` defined) the receiver gives it to
 * every site: a site whose address is not that, changed or not, says its own.
 */
function encodeSites(prev: LiveState, delta: StateDelta, hqAddress: string | null | undefined) {
  const table = new ServiceTable();
  const out: WireSite[] = [];
  // Most rounds change no site: nothing to look up then.
  if (!delta.sites?.length && hqAddress === undefined) return { sites: out, table };
  const before = new Map(prev.sites.map((s) => [s.id, s]));
  const seen = new Set<string>();
  for (const next of delta.sites ?? []) {
    seen.add(next.id);
    const old = before.get(next.id);
    if (!old) {
      out.push(site(next, table, hqAddress === undefined ? prev.hq.activeAddress : hqAddress));
      continue;
    }
    const change = siteChange(old, next, table, hqAddress === undefined ? old.callManagerAddress : hqAddress);
    if (change) out.push(change);
  }
  if (hqAddress !== undefined) {
    const removed = new Set(delta.removedSites);
    for (const old of prev.sites)
      if (!seen.has(old.id) && !removed.has(old.id) && old.callManagerAddress !== hqAddress)
        out.push({ id: old.id, cm: old.callManagerAddress });
  }
  return { sites: out, table };
}
