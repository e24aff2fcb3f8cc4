import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  composePostmortem,
  digestImpact,
  durationWords,
  timeWords,
  type IncidentDetail,
  type SiteImpact,
  type TimelineEntry,
  type WindowSummary,
} from '../src/index.ts';

const T = (min: number, s = 0) => new Date(Date.parse('2026-03-02T08:00:00.000Z') + min * 60_000 + s * 1000).toISOString();

function site(id: string, userCount: number | null, lost: Record<string, [number, number][]>, status = 'down'): SiteImpact {
  return {
    siteId: id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    userCount,
    services: Object.entries(lost).map(([service, spans]) => ({
      service: service as SiteImpact['services'][number]['service'],
      downMs: status === 'down' ? spans.reduce((sum, [a, b]) => sum + (b - a) * 60_000, 0) : 0,
      intervals: spans.map(([a, b]) => ({ status: status as 'down', from: T(a), to: T(b), durationMs: (b - a) * 60_000 })),
    })),
  };
}

const WINDOW: WindowSummary = {
  kind: 'failover',
  startedAt: T(1),
  endedAt: null,
  durationMs: 23 * 60_000,
  expectedMinMs: 300_000,
  expectedMaxMs: 1_200_000,
  overrun: true,
  verdict: 'overrun',
};

function detail(timeline: TimelineEntry[], impact: SiteImpact[], open = true): IncidentDetail {
  return {
    incident: {
      id: 'inc-1',
      startedAt: T(1),
      endedAt: open ? null : T(30),
      durationMs: 23 * 60_000,
      noServiceMs: 23 * 60_000,
      windows: [WINDOW],
      worstImpact: null,
      annotationCount: 0,
    },
    timeline,
    impact,
    asOf: T(24),
    servers: [
      { id: 'primary', name: 'HQ-A', role: 'hq-primary', address: '10.1.0.10' },
      { id: 'secondary', name: 'HQ-B', role: 'hq-secondary', address: '10.2.0.10' },
    ],
  };
}

describe('durations in words', () => {
  it.each([
    [450, '450 ms'],
    [21_000, '21 s'],
    [59_600, '1 min'],
    [750_000, '12 min 30 s'],
    [720_000, '12 min'],
    [3_900_000, '1 h 5 min'],
    [3_600_000, '1 h'],
    [86_400_000 * 2 + 3 * 3_600_000, '2 d 3 h'],
    [-5, '0 ms'],
  ])('%i ms is "%s"', (ms, words) => expect(durationWords(ms)).toBe(words));
});

describe('times in the reader’s zone', () => {
  it('says the local time with UTC beside, dated when on another day', () => {
    const time = timeWords('America/New_York', '2026-03-02T23:50:00.000Z');
    expect(time.time('2026-03-02T23:50:00.000Z')).toBe('18:50:00 (23:50:00 UTC)');
    expect(time.time('2026-03-03T05:10:02.000Z')).toBe('3 Mar 00:10:02 (3 Mar 05:10:02 UTC)');
    expect(time.zoneText('2026-03-02T23:50:00.000Z')).toBe('America/New_York (GMT-05:00), with UTC beside');
    expect(time.day('2026-03-02T23:50:00.000Z')).toBe('Monday, 2 March 2026');
  });

  it('says UTC alone without a zone, or for UTC itself', () => {
    for (const zone of [null, 'UTC', 'Etc/UTC']) {
      const time = timeWords(zone, T(0));
      expect(time.time(T(1, 6))).toBe('08:01:06 UTC');
      expect(time.zoneText(T(0))).toBe('UTC');
    }
  });

  it('knows the IANA zones and nothing else', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    for (const bad of ['', 'Mars/Olympus_Mons', 'Europe/Berlin; DROP', 'x'.repeat(65)]) expect(canonicalTimeZone(bad)).toBeNull();
  });
});

describe('the impact digest', () => {
  it('sums user-minutes per service, telephony and video as one row when lost alike', () => {
    const { rows } = digestImpact([
      site('hq', 400, { telephony: [[1, 13]], video: [[1, 13]], voicemail: [[1, 13]] }),
      site('austin', 75, { telephony: [[1, 5]], video: [[1, 5]] }),
    ]);
    expect(rows.map((r) => [r.title, r.sites, r.users, r.userMinutes, r.longestMs])).toEqual([
      ['Call Manager telephony & video', 2, 475, 400 * 12 + 75 * 4, 12 * 60_000],
      ['Voicemail', 1, 400, 4800, 12 * 60_000],
    ]);
  });

  it('keeps telephony and video apart when a site lost one longer than the other', () => {
    const { rows } = digestImpact([site('hq', 10, { telephony: [[1, 13]], video: [[1, 5]] })]);
    expect(rows.map((r) => r.title)).toEqual(['Call Manager telephony', 'Call Manager video']);
  });

  it('counts a site without a user count as a site, never as users', () => {
    const { rows, groups } = digestImpact([site('hq', 400, { voicemail: [[0, 10]] }), site('austin', null, { voicemail: [[0, 10]] })]);
    expect(rows[0]).toMatchObject({ sites: 2, users: 400, uncounted: 1, userMinutes: 4000 });
    expect(groups).toEqual([expect.objectContaining({ names: ['Austin', 'Hq'], users: 400, uncounted: 1 })]);
  });

  it('groups sites by identical impact, stretches and uncertainty said, what every site lost said once', () => {
    const all = { configChanges: [[1, 13]], accountCodes: [[1, 13]], workgroups: [[1, 13]] } as Record<string, [number, number][]>;
    const digest = digestImpact([
      site('hq', 400, { ...all, telephony: [[1, 13]], video: [[1, 13]] }),
      site('seattle', 35, { ...all, telephony: [[1, 13]], video: [[1, 13]] }),
      site('boston', 120, {
        ...all,
        voicemail: [
          [1, 5],
          [20, 22],
        ],
      }),
      site('denver', 110, all),
    ]);
    expect(digest.everywhere).toEqual({
      lost: 'configuration changes, account codes, workgroups — 12 min',
      sites: 4,
      users: 665,
      uncounted: 0,
    });
    expect(digest.groups.map((g) => `${g.names.join(', ')}: ${g.lost}`)).toEqual([
      'Hq, Seattle: Call Manager telephony & video — 12 min',
      'Boston: voicemail — 6 min in 2 stretches',
      'Denver: only what every site lost',
    ]);
    const unknown = digestImpact([site('hq', 5, { im: [[1, 7]] }, 'unknown')]);
    expect(unknown.rows).toEqual([]);
    expect(unknown.groups[0]!.lost).toBe('IM uncertain — 6 min');
  });
});

describe('the composed postmortem', () => {
  const timeline: TimelineEntry[] = [
    { type: 'node-status', at: T(1), incidentId: 'inc-1', nodeId: 'primary', from: 'serving', to: 'down', flapping: false },
    { type: 'hq-transition', at: T(1), incidentId: 'inc-1', from: 'primary-active', to: 'failing-over', window: null },
    { type: 'incident-opened', at: T(1), incidentId: 'inc-1', startedAt: T(1) },
    { type: 'impact', at: T(1), incidentId: 'inc-1', service: 'telephony', from: 'ok', to: 'down', siteIds: ['hq'] },
    { type: 'monitor-gap', at: T(3), incidentId: 'inc-1', from: T(3), to: T(5), durationMs: 120_000 },
    {
      type: 'annotation',
      at: T(10),
      incidentId: 'inc-1',
      id: 'n1',
      text: 'Call the vendor\nabout the disk',
      createdAt: T(10),
      followUp: true,
    },
    { type: 'annotation', at: T(11), incidentId: 'inc-1', id: 'n2', text: 'Secondary slow', createdAt: T(11) },
  ];
  const pm = composePostmortem(
    {
      ...detail(timeline, [site('hq', 400, { telephony: [[1, 24]], video: [[1, 24]] })]),
      alerts: [
        {
          at: T(21, 10),
          event: 'window.overrun',
          severity: 'critical',
          title: 'Failover overrun',
          muted: null,
          deliveries: [
            { channelId: 'pager', state: 'sent' },
            { channelId: 'mail', state: 'failed' },
          ],
        },
      ],
    },
    { zone: 'Europe/Berlin' },
  );

  it('tells an open overrun, the gap and the losses in the summary', () => {
    expect(pm.summary).toBe(
      'Unplanned. At 09:01:00 (08:01:00 UTC) HQ-A went down (nothing answered) and a failover to HQ-B began. ' +
        'The failover is still under way after 23 min, past the expected 5–20 min. ' +
        '1 site (400 users) lost Call Manager telephony & video (longest 23 min, 9,200 user-minutes). ' +
        'The monitor was not running for 2 min of it: nothing is known of that time. The incident is still open, 23 min so far.',
    );
    expect(pm.span).toBe('from 09:01:00 (08:01:00 UTC), still open');
  });

  it('keeps impact changes out of the key events, and says alerts with their deliveries', () => {
    expect(pm.events.map((e) => `${e.when} | ${e.texts.join('; ')}`)).toEqual([
      '09:01:00 (08:01:00 UTC) | HQ-A: serving → unreachable; HQ state: primary active → failing over; Incident opened',
      '09:03:00 (08:03:00 UTC) | Monitor not running until 09:05:00 (08:05:00 UTC) (2 min): nothing is known of this time',
      '09:10:00 (08:10:00 UTC) | Note (follow-up): Call the vendor about the disk',
      '09:11:00 (08:11:00 UTC) | Note: Secondary slow',
      '09:21:10 (08:21:10 UTC) | Alert sent to pager, mail (undeliverable): Failover overrun',
    ]);
  });

  it('says the Call Manager address from when to when, open-ended while the incident is', () => {
    expect(pm.callManager.map((p) => [p.when, p.address])).toEqual([
      ['09:01:00 (08:01:00 UTC) onwards (the incident is still open)', null],
    ]);
  });

  it('lists the notes, and the follow-ups as their own list', () => {
    expect(pm.notes.map((n) => [n.id, n.lines, n.followUp])).toEqual([
      ['n1', ['Call the vendor', 'about the disk'], true],
      ['n2', ['Secondary slow'], false],
    ]);
    expect(pm.followUps.map((n) => n.id)).toEqual(['n1']);
  });

  it('escapes what operators and the config wrote, and only that', () => {
    const escaped = composePostmortem(detail(timeline, []), { esc: (text) => `<${text}>`, code: (text) => `[${text}]` });
    expect(escaped.summary).toContain('<HQ-A> went down');
    expect(escaped.notes[0]!.lines).toEqual(['<Call the vendor>', '<about the disk>']);
    expect(escaped.summary).toContain('No site lost a service.');
  });
});
