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

    it('has the skeleton: summary, timeline, windows, impact per site, annotations, and headings to write', () => {
      const headings = md()
        .split('\n')
        .filter((l) => l.startsWith('#'));
      expect(headings).toEqual([
        `# Incident ${escapeMarkdown(m.incidentId)}: postmortem`,
        '## Summary',
        '## Timeline',
        '## Windows',
        '## Impact per site',
        '## Annotations',
        '## Root cause',
        '## What went well, what did not',
        '## Follow-ups',
      ]);
    });

    it('states the durations and the worst moment in the summary', () => {
      expect(md()).toContain(`- **Started:** ${m.failoverStart}`);
      expect(md()).toContain(`- **Ended:** ${m.closedAt}`);
      expect(md()).toContain('- **Time without HQ services:** 31m 10s in 2 windows (1 over the expected maximum)');
      expect(md()).toContain(`- **Worst moment:** ${m.failoverStart}: 3 sites impacted, Call Manager telephony lost at 2 (400 users)`);
    });

    it('sets each window against the expected 5–20 min', () => {
      expect(md()).toContain(`| Failover | ${m.failoverStart} | ${m.failoverEnd} | 6m 6s | 5m–20m | within the expected range |`);
      expect(md()).toContain(
        `| Failback | ${m.failbackStart} | ${m.failbackEnd} | 25m 4s | 5m–20m | **over** the expected maximum by 5m 4s |`,
      );
    });

    it('lists what each site lost and for how long', () => {
      expect(md()).toContain(
        `| Headquarters | 400 | Call Manager telephony | 31m 10s | down ${m.failoverStart} → ${m.failoverEnd} (6m 6s); down ${m.failbackStart} → ${m.failbackEnd} (25m 4s) |`,
      );
      expect(md()).not.toMatch(/\| Boston \| 120 \| Call Manager telephony/);
    });

    it('summarises impact changes per moment in the timeline', () => {
      expect(md()).toContain(
        `| ${m.failoverStart} | Impact: Call Manager telephony down at 2 sites; Call Manager video down at 2 sites; voicemail down at 2 sites; drsIntersite down at 2 sites; configChanges down at 3 sites; accountCodes down at 3 sites; workgroups down at 3 sites |`,
      );
    });

    it('shows annotations as text: no HTML, no link', () => {
      const out = md();
      expect(out).not.toContain('<img');
      expect(out).not.toContain('](javascript');
      expect(out).toContain(
        // Markup characters escaped, and : . @ too, so nothing can become markup or a link.
        `- ${m.failoverEnd}: Secondary took over, "slowly", \\=SUM\\(A1\\:A9\\)  \n  see &lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[link\\]\\(javascript\\:alert\\(1\\)\\)`,
      );
    });
  });
});
