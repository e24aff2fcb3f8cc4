import type { HqwatchConfig, ServerConfig, SiteConfig } from './config.ts';
import type { ImBasis, Provider } from './impact-reasons.ts';
import { DRS_DISABLED, drsReason, imReason, NO_DRS_PATH, provider, routedReason } from './impact-reasons.ts';
import { serviceState } from './service-state.ts';
import type { HqState, NodeStatus, ServiceKey, ServiceState } from './types.ts';
import { HQ_REF } from './types.ts';

/** The debounced view of one node that the impact rules need. */
export interface NodeHealth {
  status: NodeStatus;
  flapping: boolean;
}

/** Everything a site's services can depend on, resolved once per round. */
export interface ImpactContext {
  hq: Provider;
  /** What the vendor's notes let hqwatch say of IM for users homed on HQ in the current HQ state. */
  hqIm: ImBasis;
  servers: ReadonlyMap<string, Provider>;
  drsEnabled: boolean;
}

/**
 * What the HQ pair is doing for the sites in `state`. A window (failing over, failing back, HQ down)
 * means no HQ services at all; after it, the active server carries them all. Dual-active is treated
 * as serving here; the caller marks the statuses at risk.
 */
export function hqProvider(state: HqState, primaryName: string, secondaryName: string): Provider {
  const name = 'HQ';
  switch (state) {
    case 'primary-active':
      return provider(name, 'served-by', primaryName);
    case 'secondary-active':
      return provider(name, 'served-by', secondaryName);
    case 'dual-active':
      return provider(name, 'claimed', primaryName, secondaryName);
    case 'failing-over':
      return provider(name, 'failing-over', secondaryName);
    case 'failing-back':
      return provider(name, 'failing-back', primaryName);
    case 'hq-down':
      return provider(name, 'hq-down', primaryName, secondaryName);
    case 'monitor-blind':
      return provider(name, 'blind');
    case 'starting':
      return provider(name, 'not-assessed');
  }
}

/**
 * What a distributed server is doing for the sites homed on it. Reachable-but-not-serving and
 * flapping count as down: calls placed through a server that answers pings but not SIP, or that
 * comes and goes every few rounds, fail for the users on it.
 */
export function serverProvider(server: ServerConfig, node: NodeHealth | undefined): Provider {
  const name = server.name;
  if (node?.flapping) return provider(name, 'flapping');
  switch (node?.status) {
    case 'serving':
      return provider(name, 'serving');
    case 'reachable':
      return provider(name, 'answers');
    case 'down':
      return provider(name, 'down');
    default:
      return provider(name, 'not-assessed');
  }
}

/**
 * IM for users homed on HQ. The notes say a failover or failback does not affect IM, and while a
 * server is HQ nothing is lost; they say nothing of an HQ outage, so then IM is not known to be
 * available. Before a verdict, or blind, nothing is known.
 */
export function hqImBasis(state: HqState): ImBasis {
  switch (state) {
    case 'primary-active':
    case 'secondary-active':
    case 'dual-active':
      return 'serving';
    case 'failing-over':
    case 'failing-back':
      return 'window';
    case 'hq-down':
      return 'outage';
    case 'monitor-blind':
    case 'starting':
      return 'unknown';
  }
}

/**
 * The address Call Manager users must type: the primary's while it is HQ, the secondary's while
 * the secondary controls the system (vendor text). During a failover or failback no server
 * controls the system yet, so there is none: the address users will need once the window completes
 * is `hq.targetAddress`, shown apart and marked as such. With no server HQ (HQ down, starting,
 * blind) or two claimants (dual-active), no single address is right either.
 */
export function callManagerAddress(state: HqState, config: HqwatchConfig): string | null {
  const { primary, secondary } = config.headquarters;
  if (state === 'primary-active') return primary.address;
  if (state === 'secondary-active') return secondary.address;
  return null;
}

function resolve(ref: string, ctx: ImpactContext): Provider {
  if (ref === HQ_REF) return ctx.hq;
  // The config check refuses unknown references; an unvalidated config still gets no guess.
  return ctx.servers.get(ref) ?? provider(ref, 'not-configured');
}

function routed(service: ServiceKey, site: string, by: Provider): ServiceState {
  return serviceState(by.reach, routedReason(by), site, service);
}

/**
 * Intersite calls need one reachable DRS server: a site with several DRS paths keeps them while
 * any path is serving.
 */
export function drsService(site: SiteConfig, ctx: ImpactContext): ServiceState {
  if (!ctx.drsEnabled) return serviceState('n/a', DRS_DISABLED, site.name, 'drsIntersite');
  if (site.drs.length === 0) return serviceState('n/a', NO_DRS_PATH, site.name, 'drsIntersite');
  const refs = site.drs.length === 1 ? site.drs : [...new Set(site.drs)];
  const paths = refs.map((ref) => resolve(ref, ctx));
  const reach = paths.some((p) => p.reach === 'ok') ? 'ok' : paths.some((p) => p.reach === 'unknown') ? 'unknown' : 'down';
  return serviceState(reach, drsReason(reach, paths), site.name, 'drsIntersite');
}

/**
 * IM of a site's users: `ok` only where the notes say so (HQ-homed users while a server is HQ or
 * during a failover or failback; users of a distributed server while it serves), otherwise
 * `unknown` with the reason: a home server that is down, answers without serving or flaps, or an
 * HQ outage, is not known to carry IM.
 */
function imService(site: SiteConfig, ctx: ImpactContext): ServiceState {
  if (site.users === HQ_REF) {
    const status = ctx.hqIm === 'serving' || ctx.hqIm === 'window' ? 'ok' : 'unknown';
    return serviceState(status, imReason(ctx.hq, ctx.hqIm, true), site.name, 'im');
  }
  const home = resolve(site.users, ctx);
  const serving = home.reach === 'ok';
  return serviceState(serving ? 'ok' : 'unknown', imReason(home, serving ? 'serving' : 'unknown', false), site.name, 'im');
}

/**
 * Every service of one site while the monitor can see: users' Call Manager telephony and video
 * follow the server they are homed on, voicemail the server it is routed through, IM what the notes
 * say of it (see `imService`), and configuration changes, account codes and workgroups exist only
 * on HQ.
 */
export function siteServices(site: SiteConfig, ctx: ImpactContext): Record<ServiceKey, ServiceState> {
  const users = resolve(site.users, ctx);
  return {
    telephony: routed('telephony', site.name, users),
    video: routed('video', site.name, users),
    im: imService(site, ctx),
    voicemail: routed('voicemail', site.name, resolve(site.voicemail, ctx)),
    drsIntersite: drsService(site, ctx),
    configChanges: routed('configChanges', site.name, ctx.hq),
    accountCodes: routed('accountCodes', site.name, ctx.hq),
    workgroups: routed('workgroups', site.name, ctx.hq),
  };
}
