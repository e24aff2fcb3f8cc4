/*
 * A 500-site incident's postmortem: a page, not a dump. The clean failover is played through the
 * app (support/scenario-incidents.ts, loopback octet 231 names the servers, nothing is probed) with
 * 500 sites homed like the demo's twelve, then the Markdown is rendered by a CommonMark library
 * with GFM tables (markdown-it, as GitHub and most viewers) and its tables are checked.
 */
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '@hqwatch/shared';
import { demoTopology, type LabSiteSpec } from '../src/lab/index.ts';
import { recordScenario, type RecordedScenario } from './support/scenario-incidents.ts';

const SITES = 500;

/** 500 sites, each homed as one of the demo's twelve, with their own names and user counts. */
function manySites(): LabSiteSpec[] {
  const patterns = demoTopology(231).sites;
  return Array.from({ length: SITES }, (_, i) => {
    const p = patterns[i % patterns.length]!;
    return { ...p, id: `site-${i}`, name: `Site ${String(i).padStart(3, '0')}`, userCount: 20 + (i % 9) * 15, drs: [...p.drs] };
  });
}

interface Table {
  header: string[];
  rows: string[][];
}

/** The tables as markdown-it parses them (GFM tables are on in its default preset). */
function renderedTables(markdown: string): Table[] {
  const tokens = new MarkdownIt().parse(markdown, {});
  const tables: Table[] = [];
  let row: string[] | null = null;
  let head = false;
  for (const [i, token] of tokens.entries()) {
    if (token.type === 'table_open') tables.push({ header: [], rows: [] });
    if (token.type === 'thead_open') head = true;
    if (token.type === 'thead_close') head = false;
    if (token.type === 'tr_open') row = [];
    if ((token.type === 'th_open' || token.type === 'td_open') && row) row.push(tokens[i + 1]!.content);
    if (token.type === 'tr_close' && row) {
      const table = tables.at(-1)!;
      if (head) table.header = row;
      else table.rows.push(row);
      row = null;
    }
  }
  return tables;
}

describe('the postmortem of a 500-site failover', () => {
  let t: RecordedScenario;
  let id: string;

  beforeAll(async () => {
    t = await recordScenario('clean-failover', 231, { sites: manySites() });
    const incidents = await t.incidents();
    expect(incidents).toHaveLength(1);
    id = incidents[0]!.id;
  }, 120_000);
  afterAll(() => t?.close());

  it('is under 20 KB with the appendix left out, and says the sites in a handful of lines', async () => {
    const res = await t.api(`/api/incidents/${id}/export?format=md&appendix=0&tz=America/New_York`);
    expect(res.status).toBe(200);
    const markdown = await res.text();
    expect(Buffer.byteLength(markdown)).toBeLessThan(20 * 1024);
    const groups = markdown.split('### Sites by impact\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(groups.length).toBeLessThanOrEqual(12);
    expect(groups[0]).toMatch(/^- Every site \(500 sites, [\d,]+ users\): configuration changes, account codes, workgroups — 12 min$/);
    expect(groups.slice(1).every((line) => / and \d+ more sites \(\d+ sites, [\d,]+ users\): /.test(line))).toBe(true);
    expect(markdown).toContain('Times are America/New_York (GMT-05:00), with UTC beside.');
  });

  it('renders with a CommonMark library: every table parses with its header and one row per line of the source', async () => {
    const markdown = await (await t.api(`/api/incidents/${id}/export?format=md&appendix=0`)).text();
    const tables = renderedTables(markdown);
    const detail = (await (await t.api(`/api/incidents/${id}`)).json()) as IncidentDetail;
    const [impact, windows, events] = tables;
    expect(tables).toHaveLength(3);
    expect(impact!.header).toEqual(['Service', 'Sites', 'Users', 'User-minutes lost', 'Longest']);
    expect(impact!.rows.map((r) => r[0])).toEqual([
      'Call Manager telephony &amp; video'.replace('&amp;', '&'),
      'Voicemail',
      'Calls to other sites (DRS)',
      'Configuration changes',
      'Account codes',
      'Workgroups',
    ]);
    expect(impact!.rows.find((r) => r[0] === 'Configuration changes')![1]).toBe('500');
    expect(windows!.header).toEqual(['Window', 'Started', 'Ended', 'Took', 'Expected', 'Verdict']);
    expect(windows!.rows).toHaveLength(detail.incident.windows.length);
    expect(events!.header).toEqual(['Time', 'What happened']);
    for (const table of tables) {
      expect(table.rows.every((r) => r.length === table.header.length)).toBe(true);
      const source = markdown.split('\n');
      const at = source.indexOf(`| ${table.header.join(' | ')} |`);
      let lines = 0;
      for (let i = at + 2; source[i]?.startsWith('|'); i++) lines += 1;
      expect(table.rows).toHaveLength(lines);
    }
    // The HTML has real tables, not paragraphs of pipes.
    const html = new MarkdownIt().render(markdown);
    expect(html.match(/<table>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<p>\|/);
  });

  it('keeps every site in the appendix when it is included', async () => {
    const full = await (await t.api(`/api/incidents/${id}/export?format=md`)).text();
    const perSite = renderedTables(full).find((x) => x.header[0] === 'Site')!;
    expect(new Set(perSite.rows.map((r) => r[0])).size).toBe(SITES);
  });
});
