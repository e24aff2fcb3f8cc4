/**
 * The socket's wire back into the LiveState, on the client: reasons are worded here (by the
 * renderer the client passes, which remembers its sentences), and a delta keeps the identity of
 * every site, service, node and probe it does not change, so views showing them do not re-render.
 */
import type { ReasonCode, ReasonContext, ReasonParams } from './reason-codes.ts';
import type { ReasonRenderer } from './reason-render.ts';
import { renderReason } from './reason-render.ts';
import { serviceView } from './status-db.ts';
import type { ServerServiceView, SiteSwitches } from './status-db-types.ts';
import { switchCodeText } from './switch-codes.ts';
import type { LiveState, NodeView, ProbeView, ServiceKey, ServiceState, SiteView } from './types.ts';
import { SERVICE_KEYS } from './types.ts';
import type {
  WireDelta,
  WireNode,
  WireProbe,
  WireProbeChange,
  WireReason,
  WireService,
  WireSite,
  WireSiteGroup,
  WireState,
  WireSwitches,
} from './wire-types.ts';
import { SERVICE_LETTERS } from './wire-types.ts';

/** A service the message's table lacks: said as unknown, never guessed. */
const MISSING: WireService = { s: 'unknown' };

/**
 * A service from its wire form. Its reason is worded when first read, not when the message comes:
 * a change of 4,000 services is decoded in a few milliseconds, and only the reasons someone looks at
 * (a tooltip, an export) are ever worded. `reason` is still an own, enumerable property, so
 * spreading, comparing and serialising the state see the sentence.
 */
function service(entry: WireService, site: string, key: ServiceKey, render: ReasonRenderer): ServiceState {
  if (entry.r === undefined) return entry.k ? { status: entry.s, atRisk: true } : { status: entry.s };
  const facts = { status: entry.s, reasonCode: entry.r, params: entry.p ?? [], atRisk: !!entry.k };
  return lazilyWorded(facts, { site, service: key }, render);
}

/** What a service's reason says, before it is worded. */
interface ReasonFacts {
  status: ServiceState['status'];
  reasonCode: ReasonCode;
  params: ReasonParams;
  atRisk: boolean;
}

function lazilyWorded(
  { status, reasonCode, params, atRisk }: ReasonFacts,
  { site, service }: ReasonContext,
  render: ReasonRenderer,
): ServiceState {
  // The getter keeps the two strings, not the place's object: one object fewer per service held.
  let said: string | undefined;
  const state: ServiceState = {
    status,
    get reason() {
      return (said ??= render(reasonCode, params, { site, service }));
    },
    reasonCode,
    params,
  };
  if (atRisk) state.atRisk = true;
  return state;
}

function probe({ k, t, o, l, e }: WireProbe): ProbeView {
  return e === undefined ? { kind: k, target: t, ok: o, latencyMs: l } : { kind: k, target: t, ok: o, latencyMs: l, error: e };
}

function changedProbe(before: ProbeView, change: WireProbeChange): ProbeView {
  const after: ProbeView = {
    kind: change.k ?? before.kind,
    target: change.t ?? before.target,
    ok: change.o ?? before.ok,
    latencyMs: change.l === undefined ? before.latencyMs : change.l,
  };
  const error = change.e === undefined ? before.error : (change.e ?? undefined);
  if (error !== undefined) after.error = error;
  return after;
}

const serverServices = (rows: NonNullable<WireNode['services']>): ServerServiceView[] =>
  rows.map(([name, displayName, state]) => serviceView({ name, displayName, state }));

/** A node from its wire form, over `before` (a delta's changed fields) or from nothing (a snapshot). */
function node(wire: WireNode, before?: NodeView): NodeView {
  let probes = before?.probes ?? [];
  if (wire.p) probes = wire.p.map(probe);
  else if (wire.pc && before) probes = before.probes.map((p, i) => (wire.pc![i] ? changedProbe(p, wire.pc![i]!) : p));
  const out: NodeView = {
    id: wire.id,
    name: wire.n ?? before?.name ?? wire.id,
    address: wire.a ?? before?.address ?? '',
    role: wire.r ?? before?.role ?? 'distributed',
    status: wire.st ?? before?.status ?? 'unknown',
    flapping: wire.f ?? before?.flapping ?? false,
    since: wire.si ?? before?.since ?? '',
    probes,
  };
  const services = wire.services === undefined ? before?.services : wire.services === null ? undefined : serverServices(wire.services);
  if (services) out.services = services;
  return out;
}

function switches({ worst, missing, ...rest }: WireSwitches): SiteSwitches {
  const out: SiteSwitches = { ...rest, worst: worst === null ? null : { code: worst, text: switchCodeText(worst) } };
  if (missing) out.missing = missing;
  return out;
}

interface SiteContext {
  table: readonly WireService[];
  render: ReasonRenderer;
  /** `hq.activeAddress` after the message, and whether the message changed it. */
  hqAddress: string | null;
  hqChanged: boolean;
}

function contradiction(out: SiteView, x: WireReason, render: ReasonRenderer): void {
  const params = x.p ?? [];
  out.contradiction = render(x.r, params, { site: out.name, service: 'telephony' });
  out.contradictionCode = x.r;
  out.contradictionParams = params;
}

/** A site from its wire form, over `before` when a delta changes it. */
function site(wire: WireSite, before: SiteView | undefined, ctx: SiteContext): SiteView {
  const name = wire.n ?? before?.name ?? wire.id;
  const renamed = before !== undefined && name !== before.name;
  const services = {} as Record<ServiceKey, ServiceState>;
  const all = Array.isArray(wire.s) ? wire.s : null;
  for (const [i, key] of SERVICE_KEYS.entries()) {
    const index = all ? all[i] : (wire.s as Partial<Record<string, number>> | undefined)?.[SERVICE_LETTERS[key]];
    const old = before?.services[key];
    if (index !== undefined) services[key] = service(ctx.table[index] ?? MISSING, name, key, ctx.render);
    else if (old && !renamed) services[key] = old;
    else if (old) services[key] = rewordService(old, name, key, ctx.render);
    else services[key] = service(MISSING, name, key, ctx.render);
  }
  // A site says its address only where it is not what the receiver would take: hq's when hq's
  // changed (or the site is new), its own so far otherwise.
  const cm = wire.cm !== undefined ? wire.cm : ctx.hqChanged || !before ? ctx.hqAddress : before.callManagerAddress;
  const out: SiteView = { id: wire.id, name, callManagerAddress: cm, services };
  const sw = wire.sw === undefined ? before?.switches : wire.sw === null ? undefined : switches(wire.sw);
  if (sw) out.switches = sw;
  if (wire.x) contradiction(out, wire.x, ctx.render);
  else if (wire.x === undefined && before?.contradictionCode !== undefined) {
    if (renamed) contradiction(out, { r: before.contradictionCode, p: before.contradictionParams ?? [] }, ctx.render);
    else
      Object.assign(out, {
        contradiction: before.contradiction,
        contradictionCode: before.contradictionCode,
        contradictionParams: before.contradictionParams,
      });
  }
  return out;
}

/** A service whose site was renamed: the same facts, worded with the new name. */
function rewordService(old: ServiceState, site: string, key: ServiceKey, render: ReasonRenderer): ServiceState {
  if (old.reasonCode === undefined) return old;
  const facts = { status: old.status, reasonCode: old.reasonCode, params: old.params ?? [], atRisk: old.atRisk === true };
  return lazilyWorded(facts, { site, service: key }, render);
}

/** The LiveState of a `state:sync` answer, its reasons worded by `render`. */
export function decodeState(wire: WireState, render: ReasonRenderer = renderReason): LiveState {
  const ctx: SiteContext = { table: wire.svc, render, hqAddress: wire.hq.activeAddress, hqChanged: true };
  const state: LiveState = {
    contractVersion: wire.contractVersion,
    seq: wire.seq,
    at: wire.at,
    hq: wire.hq,
    nodes: wire.nodes.map((n) => node(n)),
    sites: wire.sites.map((s) => site(s, undefined, ctx)),
    incident: wire.incident,
    monitor: wire.monitor,
    impact: wire.impact,
  };
  if (wire.statusDb) state.statusDb = wire.statusDb;
  return state;
}

/**
 * Entries changed by a delta, merged into `current` by id: unchanged entries keep their identity,
 * removed ones go, new ones are appended. `touch` lists ids changed without being in `changed`.
 */
function merge<T extends { id: string }, W extends { id: string }>(
  current: readonly T[],
  changed: readonly W[] | undefined,
  removed: readonly string[] | undefined,
  build: (wire: W | undefined, before: T | undefined, id: string) => T,
  touch?: (entry: T) => boolean,
): T[] {
  if (!changed?.length && !removed?.length && !touch) return current as T[];
  const gone = new Set(removed ?? []);
  const updates = new Map((changed ?? []).map((w) => [w.id, w]));
  const out: T[] = [];
  for (const entry of current) {
    if (gone.has(entry.id)) continue;
    const wire = updates.get(entry.id);
    updates.delete(entry.id);
    out.push(wire || touch?.(entry) ? build(wire, entry, entry.id) : entry);
  }
  for (const [id, wire] of updates) out.push(build(wire, undefined, id));
  return out;
}

/** `entries` in the order of `ids` (a config reload reordered them); ids without an entry are left out. */
function ordered<T extends { id: string }>(entries: T[], ids: readonly string[] | undefined): T[] {
  if (!ids) return entries;
  const byId = new Map(entries.map((e) => [e.id, e]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The site changes of `sg`: each id with its group's services. */
function ungroup(groups: readonly WireSiteGroup[]): WireSite[] {
  return groups.flatMap(([s, ids]) => ids.map((id) => ({ id, s })));
}

/** Applies a `state:changed` delta to the state held; the inverse of the server's encoding. */
export function applyWireDelta(state: LiveState, delta: WireDelta, render: ReasonRenderer = renderReason): LiveState {
  const hq = delta.hq ? { ...state.hq, ...delta.hq } : state.hq;
  const hqChanged = delta.hq?.activeAddress !== undefined && delta.hq.activeAddress !== state.hq.activeAddress;
  const ctx: SiteContext = { table: delta.svc ?? [], render, hqAddress: hq.activeAddress, hqChanged };
  const next: LiveState = {
    contractVersion: state.contractVersion,
    seq: delta.seq,
    at: delta.at,
    hq,
    nodes: ordered(
      merge(state.nodes, delta.nodes, delta.rn, (wire, before, id) => node(wire ?? { id }, before)),
      delta.no,
    ),
    sites: ordered(
      merge(
        state.sites,
        delta.sg ? [...(delta.sites ?? []), ...ungroup(delta.sg)] : delta.sites,
        delta.rs,
        (wire, before, id) => site(wire ?? { id }, before, ctx),
        hqChanged ? (s) => s.callManagerAddress !== hq.activeAddress : undefined,
      ),
      delta.so,
    ),
    incident: delta.incident === undefined ? state.incident : delta.incident,
    monitor: delta.monitor ?? state.monitor,
    impact: delta.impact ? { ...state.impact, ...delta.impact } : state.impact,
  };
  const statusDb = delta.statusDb === undefined ? state.statusDb : (delta.statusDb ?? undefined);
  if (statusDb) next.statusDb = statusDb;
  return next;
}
