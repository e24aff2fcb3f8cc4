import type { HqwatchConfig, ServerConfig, SiteConfig } from './config.ts';
import type { Provider, RoutedService } from './impact-reasons.ts';
import { drsDisabledReason, drsReason, imReason, noDrsPathReason, provider, routedReason } from './impact-reasons.ts';
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
      return provider(name, 'ok', `is served by ${primaryName}`);
    case 'secondary-active':
      return provider(name, 'ok', `is served by ${secondaryName}`);
    case 'dual-active':
      return provider(name, 'ok', 'is serving');
    case 'failing-over':
      return provider(name, 'down', `is failing over to ${secondaryName}`);
    case 'failing-back':
      return provider(name, 'down', `is failing back to ${primaryName}`);
    case 'hq-down':
      return provider(name, 'down', `is down, with neither ${primaryName} nor ${secondaryName} serving`);
    case 'monitor-blind':
      return provider(name, 'unknown', 'cannot be seen by the monitor');
    case 'starting':
      return provider(name, 'unknown', 'has not been assessed yet');
  }
}

/**
 * What a distributed server is doing for the sites homed on it. Reachable-but-not-serving and
 * flapping count as down: calls placed through a server that answers pings but not SIP, or that
 * comes and goes every few rounds, fail for the users on it.
 */
export function serverProvider(server: ServerConfig, node: NodeHealth | undefined): Provider {
  const name = server.name;
  if (node?.flapping) return provider(name, 'down', 'is flapping');
  switch (node?.status) {
    case 'serving':
      return provider(name, 'ok', 'is serving');
    case 'reachable':
      return provider(name, 'down', 'answers but is not serving');
    case 'down':
      return provider(name, 'down', 'is down');
    default:
      return provider(name, 'unknown', 'has not been assessed yet');
  }
}

/**
 * The address Call Manager users must type. While the secondary controls the system it is the
 * secondary's (vendor text); during a failover or failback window it is the address users will
 * need once the window closes, so operators can tell users before the window ends. With no
 * direction known (HQ down, starting, blind) or two claimants (dual-active), no single address is
 * right, so none is given.
 */
export function callManagerAddress(state: HqState, config: HqwatchConfig): string | null {
  const { primary, secondary } = config.headquarters;
  switch (state) {
    case 'primary-active':
    case 'failing-back':
      return primary.address;
    case 'secondary-active':
    case 'failing-over':
      return secondary.address;
    default:
      return null;
  }
}

function resolve(ref: string, ctx: ImpactContext): Provider {
  if (ref === HQ_REF) return ctx.hq;
  // The config check refuses unknown references; an unvalidated config still gets no guess.
  return ctx.servers.get(ref) ?? provider(ref, 'unknown', 'is not a configured server');
}

function routed(service: RoutedService, site: string, by: Provider): ServiceState {
  return { status: by.reach, reason: routedReason(service, site, by) };
}

/**
 * Intersite calls need one reachable DRS server: a site with several DRS paths keeps them while
 * any path is serving.
 */
export function drsService(site: SiteConfig, ctx: ImpactContext): ServiceState {
  if (!ctx.drsEnabled) return { status: 'n/a', reason: drsDisabledReason(site.name) };
  if (site.drs.length === 0) return { status: 'n/a', reason: noDrsPathReason(site.name) };
  const refs = site.drs.length === 1 ? site.drs : [...new Set(site.drs)];
  const paths = refs.map((ref) => resolve(ref, ctx));
  const reach = paths.some((p) => p.reach === 'ok') ? 'ok' : paths.some((p) => p.reach === 'unknown') ? 'unknown' : 'down';
  return { status: reach, reason: drsReason(site.name, reach, paths) };
}

/**
 * Every service of one site while the monitor can see: users' telephony and video follow the server
 * they are homed on, voicemail the server it is routed through, IM is independent of HQ, and
 * configuration changes, account codes and workgroups exist only on HQ.
 */
export function siteServices(site: SiteConfig, ctx: ImpactContext): Record<ServiceKey, ServiceState> {
  const users = resolve(site.users, ctx);
  return {
    telephony: routed('telephony', site.name, users),
    video: routed('video', site.name, users),
    im: { status: ctx.hq.reach === 'unknown' ? 'unknown' : 'ok', reason: imReason(site.name, ctx.hq) },
    voicemail: routed('voicemail', site.name, resolve(site.voicemail, ctx)),
    drsIntersite: drsService(site, ctx),
    configChanges: routed('configChanges', site.name, ctx.hq),
    accountCodes: routed('accountCodes', site.name, ctx.hq),
    workgroups: routed('workgroups', site.name, ctx.hq),
  };
}
