import type { SiteConfig } from './config.ts';
import type { ServerServiceView, SiteSwitches, StatusDbStatus, StatusDbView } from './status-db-types.ts';
import {
  SERVICE_RUNNING,
  SWITCH_IN_SERVICE,
  SWITCH_LOST_COMMUNICATION,
  serviceStateText,
  switchCodeText,
  switchSeverity,
} from './switch-codes.ts';
import type { Reason } from './reason-codes.ts';
import { renderReason } from './reason-render.ts';
import type { LiveState, NodeView, SiteView } from './types.ts';
import { PRIMARY_ID, SECONDARY_ID } from './types.ts';

/** One voice switch row as read: `shoreware.switches` joined with `heapswitchstatus`. */
export interface SwitchRow {
  name: string;
  address: string | null;
  /** The site's name in the configuration database, when sites are matched by name. */
  siteName: string | null;
  code: number;
}

/** One server row (a `switches.type` among the server types) with its services. */
export interface ServerRow {
  name: string;
  address: string | null;
  type: string;
  services: { name: string; displayName: string; state: number }[];
}

/** What one read of the status database returned. */
export interface StatusDbReading {
  switches: SwitchRow[];
  servers: ServerRow[];
}

/** Switch codes per configured site id, per switch name: what history records changes of. */
export type SiteSwitchCodes = Record<string, Record<string, number>>;

/** The status database's contribution to the LiveState, as the live path or replay knows it. */
export interface StatusDbSnapshot {
  source: StatusDbView;
  sites: Readonly<Record<string, SiteSwitches>>;
  /** Services per node id. */
  servers: Readonly<Record<string, ServerServiceView[]>>;
}

const norm = (text: string) => text.trim().toLowerCase();

/**
 * Which switches belong to which configured site: the names (or addresses) a site lists in
 * `switches`, else the switches of the site with the same name in the configuration database
 * (case and surrounding spaces ignored). A switch listed explicitly is never matched by name too.
 */
export function switchesBySite(
  sites: readonly Pick<SiteConfig, 'id' | 'name' | 'switches'>[],
  rows: readonly SwitchRow[],
): Map<string, { codes: Record<string, number>; missing: string[] }> {
  const listed = new Set(sites.flatMap((site) => (site.switches ?? []).map(norm)));
  const claimedByList = (row: SwitchRow) => listed.has(norm(row.name)) || (row.address !== null && listed.has(norm(row.address)));
  const out = new Map<string, { codes: Record<string, number>; missing: string[] }>();
  for (const site of sites) {
    const codes: Record<string, number> = {};
    const missing: string[] = [];
    if (site.switches) {
      for (const wanted of site.switches) {
        const key = norm(wanted);
        const hits = rows.filter((row) => norm(row.name) === key || (row.address !== null && norm(row.address) === key));
        if (hits.length === 0) missing.push(wanted);
        for (const row of hits) codes[row.name] = row.code;
      }
    } else {
      const key = norm(site.name);
      for (const row of rows) if (row.siteName !== null && norm(row.siteName) === key && !claimedByList(row)) codes[row.name] = row.code;
    }
    out.set(site.id, { codes, missing });
  }
  return out;
}

/**
 * A site's switch summary from its switches' codes: how many, how many in service (110), how
 * many lost (490), and the worst status by ShoreWare's own order of severity.
 */
export function summarizeSwitches(codes: Readonly<Record<string, number>>, since: string, missing: readonly string[] = []): SiteSwitches {
  const values = Object.values(codes);
  let worst: number | null = null;
  for (const code of values) if (worst === null || switchSeverity(code) > switchSeverity(worst)) worst = code;
  const summary: SiteSwitches = {
    total: values.length,
    inService: values.filter((c) => c === SWITCH_IN_SERVICE).length,
    lost: values.filter((c) => c === SWITCH_LOST_COMMUNICATION).length,
    worst: worst === null ? null : { code: worst, text: switchCodeText(worst) },
    since,
  };
  if (missing.length) summary.missing = [...missing];
  return summary;
}

/**
 * Where the status database contradicts the vendor's rules, as a reason (`switches-lost`), or null.
 * Telephony is what a site's switches carry: a site whose telephony the rules keep `ok` while every
 * one of its switches lost communication is said to be in contradiction. Only fresh data may contradict.
 */
export function switchesContradictionReason(
  site: Pick<SiteView, 'services'>,
  switches: SiteSwitches,
  source: StatusDbStatus,
): Reason | null {
  if (source !== 'ok' || switches.total === 0 || switches.lost !== switches.total) return null;
  if (site.services.telephony.status !== 'ok') return null;
  return { code: 'switches-lost', params: [switches.total] };
}

/** {@link switchesContradictionReason} in words, or null. */
export function switchesContradiction(site: Pick<SiteView, 'services'>, switches: SiteSwitches, source: StatusDbStatus): string | null {
  const reason = switchesContradictionReason(site, switches, source);
  return reason && renderReason(reason.code, reason.params, { site: '', service: 'telephony' });
}

/** A service row as the server cards show it. */
export function serviceView(row: ServerRow['services'][number]): ServerServiceView {
  return {
    name: row.name,
    displayName: row.displayName,
    state: row.state,
    stateText: serviceStateText(row.state),
    running: row.state === SERVICE_RUNNING,
  };
}

/**
 * Services per node id: the server row whose address is the node's. The HQ server may be listed
 * once under one address; a server row of the HQ type that matches neither HQ node is the acting
 * HQ server's, shown on `activeHqNodeId` when there is one.
 */
export function servicesByNode(
  nodes: readonly Pick<NodeView, 'id' | 'address'>[],
  servers: readonly ServerRow[],
  opts: { hqType: string; activeHqNodeId: string | null },
): Record<string, ServerServiceView[]> {
  const out: Record<string, ServerServiceView[]> = {};
  const matched = new Set<ServerRow>();
  for (const node of nodes) {
    const row = servers.find((s) => s.address !== null && norm(s.address) === norm(node.address));
    if (!row) continue;
    matched.add(row);
    out[node.id] = row.services.map(serviceView);
  }
  const hqIds = [PRIMARY_ID, SECONDARY_ID];
  const orphan = servers.find((s) => !matched.has(s) && norm(s.type) === norm(opts.hqType));
  if (orphan && opts.activeHqNodeId && hqIds.includes(opts.activeHqNodeId) && !out[opts.activeHqNodeId])
    out[opts.activeHqNodeId] = orphan.services.map(serviceView);
  return out;
}

/**
 * The LiveState with the status database's evidence added: `statusDb`, each site's `switches`
 * (and `contradiction` where there is one) and each server's `services`. The HQ state and the
 * impact are never changed: the database only adds evidence.
 */
export function withStatusDb(state: LiveState, snapshot: StatusDbSnapshot | null | undefined): LiveState {
  if (!snapshot) return state;
  const sites = state.sites.map((site) => {
    const switches = snapshot.sites[site.id];
    if (!switches) return site;
    const reason = switchesContradictionReason(site, switches, snapshot.source.status);
    if (!reason) return { ...site, switches };
    const contradiction = renderReason(reason.code, reason.params, { site: site.name, service: 'telephony' });
    return { ...site, switches, contradiction, contradictionCode: reason.code, contradictionParams: reason.params };
  });
  const nodes = state.nodes.map((node) => {
    const services = snapshot.servers[node.id];
    return services ? { ...node, services } : node;
  });
  return { ...state, sites, nodes, statusDb: snapshot.source };
}
