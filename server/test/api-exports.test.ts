import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '@hqwatch/shared';
import { CSV_COLUMNS, exportCsv } from '../src/api/export-csv.ts';
import { exportJson } from '../src/api/export-json.ts';
import { exportMarkdown } from '../src/api/export-markdown.ts';
import { escapeMarkdown } from '../src/api/markdown-text.ts';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0, type ScenarioMoments } from './store-scenario.ts';

const config = scenarioConfig();
/** A time as the postmortem says it without a zone: "08:00:10 UTC". */
const utc = (iso: string) => `${iso.slice(11, 19)} UTC`;
const NOTE = 'Secondary took over, "slowly", =SUM(A1:A9)\nsee <img src=x onerror=alert(1)> [link](javascript:alert(1))';

/** RFC 4180 reader, to check the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describeStores('incident exports', (backend) => {
  let place: StorePlace;
  let store: Store;
  let m: ScenarioMoments;
  let detail: IncidentDetail;

  beforeAll(async () => {
    place = await backend.place();
    store = await place.open();
    m = await runFailoverScenario(createDriver(store, config, T0));
    await store.annotate(m.incidentId, { text: NOTE, at: m.failoverEnd }, '2026-03-02T12:00:00.000Z');
    detail = (await store.incidentDetail(m.incidentId, config))!;
  });
  afterAll(async () => {
    await store.close();
    await place.cleanup();
  });

  describe('JSON export', () => {
    it('is the incident detail, field for field, with its format and export time', () => {
      const doc = JSON.parse(exportJson(detail, '2026-03-02T12:30:00.000Z'));
      expect(doc.format).toBe('hqwatch-incident');
      expect(doc.version).toBe(1);
      expect(doc.exportedAt).toBe('2026-03-02T12:30:00.000Z');
      expect(doc.incident).toEqual(detail.incident);
      expect(
        doc.incident.windows.map((w: { kind: string; durationMs: number; verdict: string }) => [w.kind, w.durationMs, w.verdict]),
      ).toEqual([
        ['failover', Date.parse(m.failoverEnd) - Date.parse(m.failoverStart), 'expected'],
        ['failback', Date.parse(m.failbackEnd) - Date.parse(m.failbackStart), 'overrun'],
      ]);
      expect(doc.timeline).toEqual(detail.timeline);
      expect(doc.impact).toEqual(detail.impact);
      expect(doc.timeline.find((e: { type: string }) => e.type === 'annotation').text).toBe(NOTE);
    });
  });

  describe('CSV export', () => {
    const rows = () => parseCsv(exportCsv(detail));
    const byType = (type: string) => rows().filter((r) => r[1] === type);
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];

    it('has a header, a line per timeline entry and per impact interval, in time order', () => {
      const all = rows();
      expect(all[0]).toEqual([...CSV_COLUMNS]);
      const intervals = detail.impact.flatMap((site) => site.services.flatMap((s) => s.intervals));
      expect(all).toHaveLength(1 + detail.timeline.length + intervals.length);
      const times = all.slice(1).map((r) => Date.parse(r[0]!));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(all.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    });

    it('gives windows their start, end, duration, expected range and overrun', () => {
      const closed = byType('window-closed');
      expect(
        closed.map((r) => [
          col(r, 'window_kind'),
          col(r, 'started_at'),
          col(r, 'ended_at'),
          col(r, 'duration_ms'),
          col(r, 'expected_min_ms'),
          col(r, 'expected_max_ms'),
          col(r, 'overrun'),
        ]),
      ).toEqual([
        [
          'failover',
          m.failoverStart,
          m.failoverEnd,
          String(Date.parse(m.failoverEnd) - Date.parse(m.failoverStart)),
          '300000',
          '1200000',
          'false',
        ],
        [
          'failback',
          m.failbackStart,
          m.failbackEnd,
          String(Date.parse(m.failbackEnd) - Date.parse(m.failbackStart)),
          '300000',
          '1200000',
          'true',
        ],
      ]);
    });

    it('gives each impact interval its site, service, status, times, duration and reason', () => {
      const voicemail = byType('impact-interval').filter((r) => col(r, 'site') === 'hq' && col(r, 'service') === 'voicemail');
      expect(voicemail.map((r) => CSV_COLUMNS.map((c) => col(r, c)))).toEqual([
        [
          m.failoverStart,
          'impact-interval',
          m.incidentId,
          '',
          'hq',
          'voicemail',
          '',
          'down',
          '',
          m.failoverStart,
          m.failoverEnd,
          String(Date.parse(m.failoverEnd) - Date.parse(m.failoverStart)),
          '',
          '',
          '',
          '',
          'Voicemail for Headquarters is routed through HQ, which is failing over to HQ secondary',
          '',
          '',
          '',
        ],
        [
          m.failbackStart,
          'impact-interval',
          m.incidentId,
          '',
          'hq',
          'voicemail',
          '',
          'down',
          '',
          m.failbackStart,
          m.failbackEnd,
          String(Date.parse(m.failbackEnd) - Date.parse(m.failbackStart)),
          '',
          '',
          '',
          '',
          'Voicemail for Headquarters is routed through HQ, which is failing back to HQ primary',
          '',
          '',
          '',
        ],
      ]);
    });

    it('lists the sites of each impact change', () => {
      const telephony = byType('impact').filter((r) => col(r, 'service') === 'telephony');
      expect(telephony.map((r) => [col(r, 'at'), col(r, 'from'), col(r, 'to'), col(r, 'site')])).toEqual([
        [m.failoverStart, 'ok', 'down', 'austin hq'],
        [m.failoverEnd, 'down', 'ok', 'austin hq'],
        [m.failbackStart, 'ok', 'down', 'austin hq'],
        [m.failbackEnd, 'down', 'ok', 'austin hq'],
      ]);
    });

    it('keeps annotation text whole (commas, quotes, line breaks) and never lets a spreadsheet run it', () => {
      const [note] = byType('annotation');
      expect(col(note!, 'at')).toBe(m.failoverEnd);
      expect(col(note!, 'text')).toBe(NOTE);
      const formula = parseCsv(
        exportCsv({
          ...detail,
          timeline: [{ type: 'annotation', at: T0, incidentId: 'i', id: 'a', text: '=HYPERLINK("x")', createdAt: T0 }],
        }),
      );
      expect(col(formula[1]!, 'text')).toBe('\'=HYPERLINK("x")');
    });
  });

  describe('Markdown postmortem', () => {
    const md = () => exportMarkdown(detail);

    it('has the structure: summary, impact, windows, key events, what users had to do, notes, follow-ups, headings to write, appendix', () => {
      const headings = md()
        .split('\n')
        .filter((l) => l.startsWith('#'));
      expect(headings).toEqual([
        `# Incident ${escapeMarkdown(m.incidentId)}: postmortem`,
        '## Summary',
        '## Impact',
        '### Sites by impact',
        '## Windows',
        '## Key events',
        '## What users had to do',
        '## Operator notes',
        '## Follow-ups',
        '## Root cause',
        '## What went well, what did not',
        '## Appendix: detail per site',
        '### Impact per site',
        '### Impact changes',
      ]);
    });

    it('tells the story in the summary paragraph: each window against the expected 5–20 min, the overrun said, the losses counted', () => {
      const summary = md().split('## Summary\n\n')[1]!.split('\n')[0]!;
      expect(summary).toBe(
        [
          'Unplanned.',
          `At ${utc(m.failoverStart)} HQ primary went down (nothing answered) and a failover to HQ secondary began.`,
          `HQ secondary took over at ${utc(m.failoverEnd)}, after 6 min 6 s (expected 5–20 min).`,
          `Until ${utc(m.failbackStart)}, users logging into Call Manager had to specify the secondary’s address, \`10.2.0.10\`.`,
          `At ${utc(m.failbackStart)} HQ secondary stopped serving (its host still answered) and a failback to HQ primary began.`,
          `The failback to HQ primary was done at ${utc(m.failbackEnd)}, after 25 min 4 s: an overrun, 5 min 4 s past the expected 5–20 min.`,
          '2 sites (400 users and 1 site without a user count) lost Call Manager telephony & video, voicemail and calls to other sites (DRS) (longest 25 min 4 s, 12,467 user-minutes);',
          '3 sites (520 users and 1 site without a user count) lost configuration changes, account codes and workgroups (longest 25 min 4 s, 16,207 user-minutes).',
          `The incident closed at ${utc(m.closedAt)}, after 1 h 31 min.`,
        ].join(' '),
      );
    });

    it('counts the impact per service in words and user-minutes, sites without a user count said, not guessed', () => {
      // Headquarters (400 users) lost telephony for 6 min 6 s + 25 min 4 s = 31 min 10 s: 400 × 31.17 = 12,467 user-minutes.
      expect(md()).toContain(
        [
          '| Service | Sites | Users | User-minutes lost | Longest |',
          '| --- | --: | --: | --: | --: |',
          '| Call Manager telephony & video | 2 | 400 + 1 site not counted | at least 12,467 | 25 min 4 s |',
          '| Voicemail | 2 | 400 + 1 site not counted | at least 12,467 | 25 min 4 s |',
          '| Calls to other sites (DRS) | 2 | 400 + 1 site not counted | at least 12,467 | 25 min 4 s |',
          '| Configuration changes | 3 | 520 + 1 site not counted | at least 16,207 | 25 min 4 s |',
          '| Account codes | 3 | 520 + 1 site not counted | at least 16,207 | 25 min 4 s |',
          '| Workgroups | 3 | 520 + 1 site not counted | at least 16,207 | 25 min 4 s |',
        ].join('\n'),
      );
    });

    it('groups the sites by identical impact, what every site lost said once', () => {
      expect(md()).toContain(
        [
          '- Every site (3 sites, 520 users, 1 without a user count): configuration changes, account codes, workgroups — 31 min 10 s in 2 stretches',
          '- Austin, Headquarters (2 sites, 400 users, 1 without a user count): Call Manager telephony & video, voicemail, calls to other sites (DRS) — 31 min 10 s in 2 stretches',
          '- Boston (1 site, 120 users): only what every site lost',
        ].join('\n'),
      );
    });

    it('sets each window against the expected 5–20 min', () => {
      expect(md()).toContain(
        `| Failover | ${utc(m.failoverStart)} | ${utc(m.failoverEnd)} | 6 min 6 s | 5–20 min | within the expected range |`,
      );
      expect(md()).toContain(
        `| Failback | ${utc(m.failbackStart)} | ${utc(m.failbackEnd)} | 25 min 4 s | 5–20 min | **over** the expected maximum by 5 min 4 s |`,
      );
    });

    it('keeps impact changes out of the key events and in the appendix, counted per moment', () => {
      const keyEvents = md().split('## Key events')[1]!.split('## What users')[0]!;
      expect(keyEvents).toContain(
        `| ${utc(m.failoverStart)} | HQ primary: serving → unreachable; HQ state: primary active → failing over; Incident opened; Failover window opened (expected 5–20 min) |`,
      );
      expect(keyEvents).not.toMatch(/ lost at \d+ site/);
      expect(md()).toContain(
        `| ${utc(m.failoverStart)} | Call Manager telephony lost at 2 sites; Call Manager video lost at 2 sites; voicemail lost at 2 sites; calls to other sites (DRS) lost at 2 sites; configuration changes lost at 3 sites; account codes lost at 3 sites; workgroups lost at 3 sites |`,
      );
    });

    it('says which address Call Manager users had to give, from when to when', () => {
      expect(md()).toContain(
        [
          `- ${utc(m.failoverStart)} to ${utc(m.failoverEnd)}: none: a failover was under way and no server controlled the system`,
          `- ${utc(m.failoverEnd)} to ${utc(m.failbackStart)}: \`10.2.0.10\` (HQ secondary, the secondary): users logging into Call Manager while the secondary controls the system must specify the IP address of the secondary server`,
          `- ${utc(m.failbackStart)} to ${utc(m.failbackEnd)}: none: a failback was under way and no server controlled the system`,
          `- ${utc(m.failbackEnd)} onwards: \`10.1.0.10\` (HQ primary, the primary): the usual address`,
        ].join('\n'),
      );
    });

    it('lists what each site lost and for how long in the appendix, and leaves it out when asked', () => {
      expect(md()).toContain(
        `| Headquarters | 400 | Call Manager telephony | 31 min 10 s | down ${utc(m.failoverStart)} to ${utc(m.failoverEnd)} (6 min 6 s); down ${utc(m.failbackStart)} to ${utc(m.failbackEnd)} (25 min 4 s) |`,
      );
      expect(md()).not.toMatch(/\| Boston \| 120 \| Call Manager telephony/);
      const short = exportMarkdown(detail, { appendix: false });
      expect(short).not.toContain('### Impact per site');
      expect(short).not.toContain('| Headquarters | 400 |');
      expect(short).toContain('## Appendix: detail per site\n\n_Left out of this export');
      expect(short.split('## Appendix')[0]).toBe(md().split('## Appendix')[0]);
    });

    it('says times in the reader’s zone with UTC beside', () => {
      const berlin = exportMarkdown(detail, { zone: 'Europe/Berlin' });
      expect(berlin).toContain('Monday, 2 March 2026, from 09:00:10 (08:00:10 UTC) to 10:31:28 (09:31:28 UTC).');
      expect(berlin).toContain('Times are Europe/Berlin (GMT+01:00), with UTC beside.');
      expect(berlin).toContain('HQ secondary took over at 09:06:16 (08:06:16 UTC), after 6 min 6 s (expected 5–20 min).');
      const tokyo = exportMarkdown(detail, { zone: 'Asia/Tokyo' });
      expect(tokyo).toContain('Monday, 2 March 2026, from 17:00:10 (08:00:10 UTC) to 18:31:28 (09:31:28 UTC).');
    });

    it('shows annotations as text: no HTML, no link', () => {
      const out = md();
      expect(out).not.toContain('<img');
      expect(out).not.toContain('](javascript');
      expect(out).toContain(
        // Markup characters escaped, and : . @ too, so nothing can become markup or a link.
        `- ${utc(m.failoverEnd)}: Secondary took over, "slowly", \\=SUM\\(A1\\:A9\\)  \n  see &lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[link\\]\\(javascript\\:alert\\(1\\)\\)`,
      );
      expect(out).toContain('## Follow-ups\n\nNone marked yet');
    });
  });

  describe('follow-ups', () => {
    it('marks a note as a follow-up and back, and the postmortem lists it as a checklist', async () => {
      const added = await store.annotate(
        m.incidentId,
        { text: 'Document the failback\nrunbook', at: m.failbackEnd, followUp: true },
        '2026-03-02T12:05:00.000Z',
      );
      expect(added).toMatchObject({ followUp: true, text: 'Document the failback\nrunbook' });
      const plain = (await store.incidentDetail(m.incidentId, config))!.timeline.find((e) => e.type === 'annotation' && e.text === NOTE);
      expect(plain).toMatchObject({ followUp: false });
      let md = exportMarkdown((await store.incidentDetail(m.incidentId, config))!);
      expect(md).toContain(`## Follow-ups\n\n- [ ] Document the failback runbook — noted at ${utc(m.failbackEnd)}\n`);

      const marked = await store.setFollowUp(m.incidentId, plain!.type === 'annotation' ? plain!.id : '', true);
      expect(marked).toMatchObject({ followUp: true, text: NOTE });
      md = exportMarkdown((await store.incidentDetail(m.incidentId, config))!);
      expect(
        md
          .split('## Follow-ups')[1]!
          .split('## Root cause')[0]!
          .match(/^- \[ \] /gm),
      ).toHaveLength(2);

      expect(await store.setFollowUp(m.incidentId, added!.id, false)).toMatchObject({ followUp: false });
      expect(await store.setFollowUp(m.incidentId, 'no-such-note', true)).toBeNull();
      expect(await store.setFollowUp('no-such-incident', added!.id, true)).toBeNull();
      md = exportMarkdown((await store.incidentDetail(m.incidentId, config))!);
      expect(
        md
          .split('## Follow-ups')[1]!
          .split('## Root cause')[0]!
          .match(/^- \[ \] /gm),
      ).toHaveLength(1);
    });
  });
});
