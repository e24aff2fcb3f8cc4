import type { HqwatchConfig, SiteConfig } from './config.ts';
import { atRiskReason, BLIND } from './impact-reasons.ts';
import type { ImpactContext, NodeHealth } from './impact-rules.ts';
import { callManagerAddress, drsService, hqImBasis, hqProvider, serverProvider, siteServices } from './impact-rules.ts';
import { summarizeImpact } from './impact-summary.ts';
import { isReasonCode } from './reason-codes.ts';
import { serviceState } from './service-state.ts';
import type { HqView, ImpactSummary, ServiceKey, ServiceState, SiteView } from './types.ts';
import { HQ_REF, SERVICE_KEYS } from './types.ts';

export type { NodeHealth } from './impact-rules.ts';

export interface ImpactInput {
  config: HqwatchConfig;
  /** Only the state matters: the impact does not depend on window timing or addresses. */
  hq: Pick<HqView, 'state'>;
  /** Debounced health keyed by node id (`primary`, `secondary`, each server id); a missing node counts as unknown. */
  nodes: Readonly<Record<string, NodeHealth>>;
  /**
   * The sites of the previous round: a site whose inputs did not change (the same site config, and
   * the same HQ state and servers as far as its services go) is given back as it was, the same
   * object, so the live path allocates nothing for it and comparing it with the last round is free.
   */
  previous?: readonly SiteView[];
}

export interface Impact {
  /** One entry per configured site, in config order, each with all eight services. */
  sites: SiteView[];
  summary: ImpactSummary;
}

type Services = Record<ServiceKey, ServiceState>;

/** While blind nothing is declared down; only what the config alone decides (`n/a`) is kept. */
function blindServices(site: SiteConfig, ctx: ImpactContext): Services {
  const services = {} as Services;
  for (const key of SERVICE_KEYS) services[key] = serviceState('unknown', BLIND, site.name, key);
  const drs = drsService(site, ctx);
  if (drs.status === 'n/a') services.drsIntersite = drs;
  return services;
}

/**
 * Split brain: the statuses are computed on the stated assumption that HQ services are answered
 * (both servers claim HQ), and every one is marked at risk, its reason saying so.
 */
function atRiskServices(primaryName: string, secondaryName: string) {
  return (site: SiteConfig, ctx: ImpactContext): Services => {
    const services = siteServices(site, ctx);
    for (const key of SERVICE_KEYS) {
      const { status, reasonCode, params = [] } = services[key];
      if (status === 'n/a' || !isReasonCode(reasonCode)) continue;
      const reason = atRiskReason({ code: reasonCode, params }, primaryName, secondaryName);
      services[key] = { ...serviceState(status, reason, site.name, key), atRisk: true };
    }
    return services;
  };
}

/**
 * What every configured site has lost, service by service, given the HQ state and the debounced
 * health of each node, plus the banner summary. Pure and deterministic: the output depends only on
 * the HQ state (not on window timing), so unchanged rounds produce identical sites and send no site
 * over the socket.
 */
/** What each site view was computed from: its config and the key of its inputs (see {@link siteKey}). */
const computedFrom = new WeakMap<SiteView, { site: SiteConfig; key: string }>();

/**
 * Everything a site's services depend on beyond its own config, as one string: the mode (blind,
 * split brain and the pair's names, or normal), HQ and the servers its users, voicemail and DRS
 * paths go through, what may be said of IM, DRS on or off, and the Call Manager address.
 */
function siteKey(site: SiteConfig, ctx: ImpactContext, mode: string, address: string | null): string {
  const via = (ref: string) => (ref === HQ_REF ? ctx.hq.key : (ctx.servers.get(ref)?.key ?? `?${ref}`));
  return [mode, ctx.hq.key, ctx.hqIm, ctx.drsEnabled, address, via(site.users), via(site.voicemail), ...site.drs.map(via)].join('\u0002');
}

export function computeImpact({ config, hq, nodes, previous }: ImpactInput): Impact {
  const { primary, secondary } = config.headquarters;
  const ctx: ImpactContext = {
    hq: hqProvider(hq.state, primary.name, secondary.name),
    hqIm: hqImBasis(hq.state),
    servers: new Map(
      config.servers.map((server) => [server.id, serverProvider(server, Object.hasOwn(nodes, server.id) ? nodes[server.id] : undefined)]),
    ),
    drsEnabled: config.drs.enabled,
  };
  const evaluate =
    hq.state === 'monitor-blind' ? blindServices : hq.state === 'dual-active' ? atRiskServices(primary.name, secondary.name) : siteServices;
  const address = callManagerAddress(hq.state, config);
  const mode =
    hq.state === 'monitor-blind' ? 'blind' : hq.state === 'dual-active' ? `risk\u0001${primary.name}\u0001${secondary.name}` : '';
  const before = previous && new Map(previous.map((site) => [site.id, site]));
  const sites = config.sites.map((site): SiteView => {
    const key = siteKey(site, ctx, mode, address);
    const old = before?.get(site.id);
    const from = old && computedFrom.get(old);
    if (old && from?.site === site && from.key === key) return old;
    const view: SiteView = { id: site.id, name: site.name, callManagerAddress: address, services: evaluate(site, ctx) };
    computedFrom.set(view, { site, key });
    return view;
  });
  return { sites, summary: summarizeImpact(sites, config.sites, ctx.hq.reach === 'down') };
}
