/**
 * The alert model, round by round: which history events and live-state changes make which message,
 * one thread per problem, folding, maintenance muting, a resolve for every trigger, reminders and
 * routes. Rounds are written `PSB` (primary, secondary, Boston DVS: S serving, R stopped, D down).
 */
import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '@hqwatch/shared';
import { alertConfig, maintenanceWindow, system, WEBHOOK, type Round } from './alert-fixtures.ts';

const everything = { channels: [WEBHOOK], routes: [{ channels: ['ops'] }] };

/** `status event` of every message of the rounds, muted ones marked. */
function said(rounds: Round[]): string[] {
  return rounds.flatMap((r) => r.messages.map((m) => `${m.status} ${m.event}${m.muted ? ` (muted: ${m.muted})` : ''}`));
}

const sent = (rounds: Round[]): AlertMessage[] =>
  rounds.flatMap((r) => r.messages.filter((m) => r.deliveries.some((d) => d.messageId === m.id)));

describe('one thread per incident', () => {
  it('a failover and a failback are one thread: trigger, updates, one resolve', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'SRS', 'RRS', 'RRS', 'RSS', 'RSS', 'RRS', 'SRS', 'SRS', 'SRS']);
    // recoverAfter 1: the round the failback ends also closes the incident, so its resolve says both.
    expect(said(rounds)).toEqual(['trigger window.opened', 'update window.closed', 'update window.opened', 'resolve incident.closed']);
    const messages = rounds.flatMap((r) => r.messages);
    expect(new Set(messages.map((m) => m.dedupKey)).size).toBe(1);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(rounds.flatMap((r) => r.deliveries).map((d) => d.channelId)).toEqual(['ops', 'ops', 'ops', 'ops']);
    const resolve = messages[3]!;
    expect(resolve.title).toBe('Resolved: the primary HQ server is serving — the incident lasted 05:00');
    expect(resolve.details).toEqual([
      'Failback finished after 01:00, shorter than the expected 5–20 min',
      'Call Manager users log in with the primary server again.',
    ]);
    expect(resolve.severity).toBe('info');
    expect(sys.memory().threads).toEqual([]);
  });

  it('says in the dashboard words what is lost, for how many sites and users, and the address to type', () => {
    const sys = system(alertConfig(everything));
    const [, , opened, , closed] = sys.playAll(['SRS', 'SRS', 'RRS', 'RRS', 'RSS']);
    const trigger = opened!.messages[0]!;
    expect(trigger.title).toBe('Failover in progress');
    expect(trigger.severity).toBe('critical');
    expect(trigger.details).toContain('Call Manager telephony & video lost at 2 sites (520 users)');
    expect(trigger.details).toContain('Voicemail lost at 1 site (400 users)');
    expect(trigger.details).toContain('Config changes, account codes and workgroups unavailable everywhere');
    expect(trigger.details).toContain(
      'After the failover completes, Call Manager users logging in must specify the IP address of the secondary server: 10.2.0.10',
    );
    expect(trigger.summary).toBe('Failover in progress. Call Manager telephony & video lost at 2 sites (520 users)');
    expect(trigger.url).toBe(`https://hqwatch.example.com/incidents/${trigger.incidentId}`);
    expect(trigger.window).toMatchObject({ kind: 'failover', overrun: false, expectedMinMs: 300_000, expectedMaxMs: 1_200_000 });
    expect(trigger.sites.sort()).toEqual(['austin', 'hq']);

    const update = closed!.messages[0]!;
    expect(update.title).toBe('Failover finished after 02:00, shorter than the expected 5–20 min');
    expect(update.callManagerAddress).toBe('10.2.0.10');
    expect(update.details).toContain('Call Manager users logging in now must specify the IP address of the secondary server: 10.2.0.10');
    expect(update.severity).toBe('warning');
  });

  it('an overrun is an update of the same thread', () => {
    const sys = system(alertConfig(everything, { monitor: { failAfter: 1, recoverAfter: 1, expectedWindow: { min: '1m', max: '2m' } } }));
    const rounds = sys.playAll(['SRS', 'RRS', 'RRS', 'RRS', 'RRS']);
    expect(said(rounds)).toEqual(['trigger window.opened', 'update window.overrun']);
    expect(rounds[4]!.messages[0]!.title).toBe('Failover overrun');
    expect(rounds[4]!.messages[0]!.details[0]).toBe('03:00 elapsed — longer than the usual 1–2 min');
  });

  it('a failover whose target dies becomes HQ down in the same thread, and resumes', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'RRS', 'RDS', 'RRS', 'RSS']);
    expect(said(rounds)).toEqual(['trigger window.opened', 'update hq.down', 'update window.opened', 'update window.closed']);
    expect(rounds[2]!.messages[0]!.title).toBe(
      'Failover cannot complete: HQ down: primary stopped, secondary unreachable — no failover possible',
    );
    expect(rounds[3]!.messages[0]!.title).toBe('Failover resumed: the secondary answers again');
  });

  it('a split brain opens the incident with its own words', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'SSS']);
    expect(said(rounds)).toEqual(['trigger hq.split-brain']);
    expect(rounds[1]!.messages[0]!.title).toBe('Split brain: both HQ servers are serving');
  });
});

describe('dependency-aware suppression: no storms, no orphans', () => {
  it('a DVS going down during an HQ window is folded into the incident update', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'RRS', 'RRD', 'RSD', 'RSS']);
    expect(said(rounds)).toEqual(['trigger window.opened', 'update server.down', 'update window.closed', 'update server.up']);
    const folded = rounds[2]!.messages[0]!;
    expect(folded.dedupKey).toBe(rounds[1]!.messages[0]!.dedupKey);
    expect(folded.title).toBe('Boston DVS down: nothing answers');
    expect(folded.details).toContain('Boston: Call Manager telephony & video, voicemail, intersite calls (DRS)');
    expect(folded.servers).toContain('dvs-boston');
  });

  it('a folded DVS still down when the incident closes gets a thread of its own, and its resolve', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'RRS', 'RRD', 'SRD', 'SRD', 'SRD', 'SRS']);
    expect(said(rounds)).toEqual([
      'trigger window.opened',
      'update server.down',
      'resolve incident.closed',
      'trigger server.down',
      'resolve server.up',
    ]);
    const own = rounds[3]!.messages[1]!;
    expect(own.details[0]).toBe('Still a problem after the HQ incident closed');
    expect(own.dedupKey).not.toBe(rounds[3]!.messages[0]!.dedupKey);
    expect(rounds[6]!.messages[0]!.dedupKey).toBe(own.dedupKey);
  });

  it('a DVS down outside an incident is a thread of its own', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'SRR', 'SRR', 'SRS']);
    expect(said(rounds)).toEqual(['trigger server.down', 'resolve server.up']);
    expect(rounds[1]!.messages[0]!.title).toBe('Boston DVS not serving: the host answers, its services do not');
    expect(rounds[1]!.messages[0]!.severity).toBe('critical');
  });

  it('the standby lost while the primary is HQ is a warning of its own, regained resolves it', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'SDS', 'SRS']);
    expect(said(rounds)).toEqual(['trigger standby.lost', 'resolve standby.regained']);
    expect(rounds[1]!.messages[0]!.title).toBe('Standby not ready: the secondary HQ server does not answer');
    expect(rounds[1]!.messages[0]!.severity).toBe('warning');
  });

  it('while the monitor is blind nothing else is resolved or triggered', () => {
    const sys = system(alertConfig(everything));
    const rounds = sys.playAll(['SRS', 'SRD', '---', '---', 'SRD', 'SRS']);
    expect(said(rounds)).toEqual(['trigger server.down', 'trigger monitor.blind', 'resolve monitor.sighted', 'resolve server.up']);
  });
});

describe('planned maintenance', () => {
  it('alerts inside it are recorded muted, the resolve too, and nothing is sent', () => {
    const sys = system(alertConfig(everything));
    const drill = maintenanceWindow(1, 30);
    const rounds = sys.playAll(['SRS', 'RRS', 'RSS', 'SRS', 'SRS'], { maintenance: drill });
    expect(said(rounds)).toEqual([
      'trigger window.opened (muted: maintenance)',
      'update window.closed (muted: maintenance)',
      'resolve incident.closed (muted: maintenance)',
    ]);
    expect(rounds.flatMap((r) => r.deliveries)).toEqual([]);
    expect(rounds[1]!.messages[0]!.planned).toBe('quarterly failover drill');
  });

  it('a problem still there when the window ends is sent then', () => {
    const sys = system(alertConfig(everything));
    const drill = maintenanceWindow(1, 3);
    sys.playAll(['SRS', 'RRS'], { maintenance: drill });
    const after = sys.play('RRS');
    expect(after.messages.map((m) => `${m.status} ${m.event}`)).toEqual(['trigger window.opened']);
    expect(after.messages[0]!.details[0]).toBe('Still a problem after the planned maintenance window (quarterly failover drill) ended');
    expect(after.deliveries).toHaveLength(1);
  });

  it('a thread sent before the window opened is resolved out loud inside it; its updates are muted', () => {
    const sys = system(alertConfig(everything));
    const before = sys.playAll(['SRS', 'RRS']);
    const drill = maintenanceWindow(3, 30);
    const inside = sys.playAll(['RSS', 'RRS', 'SRS'], { maintenance: drill });
    expect(said([...before, ...inside])).toEqual([
      'trigger window.opened',
      'update window.closed (muted: maintenance)',
      'update window.opened (muted: maintenance)',
      'resolve incident.closed',
    ]);
    expect(sent(inside).map((m) => m.status)).toEqual(['resolve']);
  });
});

describe('a resolve for every trigger', () => {
  it('a trigger sent before a restart is resolved after it (the memory is all that is kept)', () => {
    const config = alertConfig(everything);
    const first = system(config);
    const trigger = first.playAll(['SRS', 'SRR'])[1]!.messages[0]!;
    const second = system(config, first.memory());
    const rounds = second.playAll(['SRR', 'SRS']);
    expect(said(rounds)).toEqual(['resolve server.up']);
    expect(rounds[1]!.messages[0]!.dedupKey).toBe(trigger.dedupKey);
    expect(rounds[1]!.messages[0]!.seq).toBe(2);
  });

  it('a server removed from the configuration resolves its thread', () => {
    const config = alertConfig(everything);
    const first = system(config);
    first.playAll(['SRS', 'SRD']);
    const smaller = alertConfig(everything, { servers: [], sites: [] });
    const after = system(smaller, first.memory());
    const round = after.play('SRS');
    expect(round.messages.map((m) => `${m.status} ${m.event} ${m.title}`)).toEqual([
      'resolve server.up Boston DVS is no longer monitored (removed from the configuration)',
    ]);
  });
});

describe('routes', () => {
  it('filters by event; a resolve goes wherever the thread went', () => {
    const config = alertConfig({
      channels: [WEBHOOK, { id: 'pager', kind: 'pagerduty', routingKey: 'r0ut1ngk3y' }],
      routes: [{ channels: ['pager'], events: ['window.opened', 'hq.down'] }, { channels: ['ops'] }],
    });
    const rounds = system(config).playAll(['SRS', 'RRS', 'RSS', 'SRS', 'SRS']);
    const byMessage = rounds.flatMap((r) =>
      r.messages.map(
        (m) =>
          `${m.status}: ${r.deliveries
            .filter((d) => d.messageId === m.id)
            .map((d) => d.channelId)
            .join(',')}`,
      ),
    );
    expect(byMessage).toEqual(['trigger: pager,ops', 'update: ops', 'resolve: ops,pager']);
  });

  it('filters by site and server', () => {
    const config = alertConfig({
      channels: [WEBHOOK, { id: 'boston-team', kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x' }],
      routes: [
        { channels: ['boston-team'], servers: ['dvs-boston'] },
        { channels: ['ops'], sites: ['hq'] },
      ],
    });
    const rounds = system(config).playAll(['SRS', 'SRD', 'SRS', 'RRS']);
    const byMessage = rounds.flatMap((r) =>
      r.messages.map(
        (m) =>
          `${m.status} ${m.event}: ${r.deliveries
            .filter((d) => d.messageId === m.id)
            .map((d) => d.channelId)
            .join(',')}`,
      ),
    );
    expect(byMessage).toEqual(['trigger server.down: boston-team', 'resolve server.up: boston-team', 'trigger window.opened: ops']);
  });

  it('repeats a still-open problem at the route interval, and not a steady secondary', () => {
    const config = alertConfig({ channels: [WEBHOOK], routes: [{ channels: ['ops'], repeat: '2m' }] });
    const rounds = system(config).playAll(['SRS', 'RRS', 'RRS', 'RRS', 'RRS', 'RRS', 'RSS', 'RSS', 'RSS', 'RSS']);
    expect(said(rounds)).toEqual(['trigger window.opened', 'update reminder', 'update reminder', 'update window.closed']);
    const reminder = rounds[3]!.messages[0]!;
    expect(reminder.title).toBe('Still open after 02:00: Failover in progress');
    expect(reminder.repeat).toBe(1);
  });
});
