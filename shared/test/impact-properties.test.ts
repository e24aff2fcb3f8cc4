import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeImpact, HQ_STATES, SERVICE_KEYS } from '@hqwatch/shared';
import type { HqState, HqwatchConfig, NodeHealth, NodeStatus, SiteView } from '@hqwatch/shared';
import { configOf, GLOBAL_SERVICES, hqIn, MOVE_STATES, statusesOf, WINDOW_STATES } from './impact-fixtures.ts';

const probes = [{ kind: 'tcp', port: 5441 }];
const NODE_STATUSES: NodeStatus[] = ['serving', 'reachable', 'down', 'unknown'];

const nodeHealth: fc.Arbitrary<NodeHealth> = fc.record({ status: fc.constantFrom(...NODE_STATUSES), flapping: fc.boolean() });
const steady: NodeHealth = { status: 'serving', flapping: false };

interface World {
  /** The config document before validation, so a property can extend it. */
  doc: { servers: object[]; sites: object[] };
  config: HqwatchConfig;
  nodes: Record<string, NodeHealth>;
  state: HqState;
}

/** A random valid topology (through the real config schema) with random node health and HQ state. */
const world: fc.Arbitrary<World> = fc
  .record({ servers: fc.array(fc.boolean(), { maxLength: 6 }), drsEnabled: fc.boolean(), state: fc.constantFrom(...HQ_STATES) })
  .chain(({ servers, drsEnabled, state }) => {
    const ids = servers.map((_, i) => `dvs-${i}`);
    const refs = ['hq', ...ids];
    const drsRefs = ['hq', ...ids.filter((_, i) => servers[i])];
    const site = fc.record({
      users: fc.constantFrom(...refs),
      voicemail: fc.constantFrom(...refs),
      drs: fc.uniqueArray(fc.constantFrom(...drsRefs), { maxLength: 3 }),
      userCount: fc.option(fc.nat(2000), { nil: undefined }),
    });
    return fc
      .record({
        sites: fc.array(site, { maxLength: 25 }),
        health: fc.array(nodeHealth, { minLength: ids.length, maxLength: ids.length }),
      })
      .map(({ sites, health }): World => {
        const doc = {
          headquarters: {
            primary: { name: 'HQ primary', address: '10.1.0.10', probes },
            secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
          },
          servers: ids.map((id, i) => ({ id, name: `Server ${i}`, address: `10.9.0.${i + 1}`, drs: servers[i], probes })),
          drs: { enabled: drsEnabled },
          sites: sites.map((s, i) => ({ id: `site-${i}`, name: `Site ${i}`, ...s })),
        };
        const nodes = { primary: steady, secondary: steady, ...Object.fromEntries(ids.map((id, i) => [id, health[i]])) };
        return { doc, config: configOf(doc), nodes, state };
      });
  });

const impactIn = ({ config, nodes, state }: Omit<World, 'doc'>) => computeImpact({ config, hq: hqIn(state), nodes });
const allSteady = (config: HqwatchConfig) =>
  Object.fromEntries(['primary', 'secondary', ...config.servers.map((s) => s.id)].map((id) => [id, steady]));

describe('impact invariants over random topologies', () => {
  it('IM is never down', () => {
    fc.assert(
      fc.property(world, (w) => {
        for (const site of impactIn(w).sites) expect(site.services.im.status).not.toBe('down');
      }),
    );
  });

  it('IM stays ok through every failover and failback window when only HQ is affected', () => {
    fc.assert(
      fc.property(world, fc.constantFrom(...MOVE_STATES), (w, state) => {
        for (const site of impactIn({ ...w, nodes: allSteady(w.config), state }).sites) expect(site.services.im.status).toBe('ok');
      }),
    );
  });

  it('in an HQ outage IM is not known for users homed on HQ, and still ok for users of a serving DVS', () => {
    fc.assert(
      fc.property(world, (w) => {
        const sites = impactIn({ ...w, nodes: allSteady(w.config), state: 'hq-down' }).sites;
        w.config.sites.forEach((site, i) => expect(sites[i]!.services.im.status).toBe(site.users === 'hq' ? 'unknown' : 'ok'));
      }),
    );
  });

  it("IM is ok only when its users' home server serves (or HQ moves), never next to a dead home server", () => {
    fc.assert(
      fc.property(world, (w) => {
        const sites = impactIn(w).sites;
        w.config.sites.forEach((site, i) => {
          const im = sites[i]!.services.im.status;
          if (site.users === 'hq' || im !== 'ok') return;
          const home = w.nodes[site.users];
          expect(home?.status === 'serving' && !home.flapping, `${site.id} on ${site.users}`).toBe(true);
        });
      }),
    );
  });

  it('a site homed on a serving DVS, with voicemail and DRS on it, loses nothing but the global services during a window', () => {
    fc.assert(
      fc.property(world, fc.constantFrom(...WINDOW_STATES), fc.boolean(), (w, state, alsoHq) => {
        // Give the topology a server with DRS and a site that relies on it for everything.
        const config = configOf({
          ...w.doc,
          servers: [...w.doc.servers, { id: 'dvs-home', name: 'Home DVS', address: '10.8.0.1', drs: true, probes }],
          sites: [
            ...w.doc.sites,
            { id: 'home', name: 'Home', users: 'dvs-home', voicemail: 'dvs-home', drs: alsoHq ? ['hq', 'dvs-home'] : ['dvs-home'] },
          ],
        });
        const nodes = { ...w.nodes, 'dvs-home': steady };
        const home = impactIn({ config, nodes, state }).sites.at(-1) as SiteView;
        expect(statusesOf(home)).toEqual({
          telephony: 'ok',
          video: 'ok',
          im: 'ok',
          voicemail: 'ok',
          drsIntersite: config.drs.enabled ? 'ok' : 'n/a',
          configChanges: 'down',
          accountCodes: 'down',
          workgroups: 'down',
        });
      }),
    );
  });

  it('everything is unknown when the monitor is blind (DRS stays n/a where the config says so)', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { sites, summary } = impactIn({ ...w, state: 'monitor-blind' });
        w.config.sites.forEach((siteConfig, i) => {
          const site = sites[i];
          expect(site.callManagerAddress).toBeNull();
          const noDrs = !w.config.drs.enabled || siteConfig.drs.length === 0;
          for (const key of SERVICE_KEYS) expect(site.services[key].status).toBe(key === 'drsIntersite' && noDrs ? 'n/a' : 'unknown');
        });
        expect(summary.sitesImpacted).toBe(0);
      }),
    );
  });

  it('dual-active keeps the statuses a serving HQ would give, all at risk', () => {
    fc.assert(
      fc.property(world, (w) => {
        const dual = impactIn({ ...w, state: 'dual-active' });
        const serving = impactIn({ ...w, state: 'primary-active' });
        expect(dual.sites.map(statusesOf)).toEqual(serving.sites.map(statusesOf));
        expect(dual.summary).toEqual(serving.summary);
      }),
    );
  });

  it('the summary agrees with the sites', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { sites, summary } = impactIn(w);
        const userCount = new Map(w.config.sites.map((s) => [s.id, s.userCount]));
        const loss = (key: 'telephony' | 'voicemail' | 'drsIntersite') => {
          const lost = sites.filter((s) => s.services[key].status === 'down');
          const counts = lost.map((s) => userCount.get(s.id)).filter((n): n is number => n !== undefined);
          return { sites: lost.length, users: counts.length ? counts.reduce((a, b) => a + b, 0) : null };
        };
        expect(summary).toEqual({
          sitesImpacted: sites.filter((s) => SERVICE_KEYS.some((k) => s.services[k].status === 'down')).length,
          telephony: loss('telephony'),
          voicemail: loss('voicemail'),
          drsIntersite: loss('drsIntersite'),
          globalServicesDown: (WINDOW_STATES as readonly string[]).includes(w.state),
        });
        if (sites.length) expect(summary.globalServicesDown).toBe(GLOBAL_SERVICES.every((k) => sites[0].services[k].status === 'down'));
      }),
    );
  });

  it('a change of one distributed server changes only the sites that depend on it', () => {
    fc.assert(
      fc.property(world, nodeHealth, fc.nat(), (w, health, pick) => {
        fc.pre(w.config.servers.length > 0);
        const server = w.config.servers[pick % w.config.servers.length].id;
        const before = impactIn(w).sites;
        const after = impactIn({ ...w, nodes: { ...w.nodes, [server]: health } }).sites;
        w.config.sites.forEach((site, i) => {
          const dependsOn = site.users === server || site.voicemail === server || (w.config.drs.enabled && site.drs.includes(server));
          if (!dependsOn) expect(after[i]).toEqual(before[i]);
        });
      }),
    );
  });
});
