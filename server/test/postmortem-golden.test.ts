/*
 * The Markdown postmortem of each lab scenario, against golden files reviewed for wording
 * (server/test/fixtures/postmortems/). Every incident is recorded by really playing the scenario
 * through the app: the monitor, the notifier, the store and the HTTP routes, on a wall clock moved
 * one interval per round (support/scenario-incidents.ts). Loopback octet 230 names the servers;
 * nothing is probed. `HQWATCH_UPDATE_GOLDEN=1` rewrites the files: review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { composePostmortem, type IncidentDetail } from '@hqwatch/shared';
import { recordScenario, type RecordedScenario } from './support/scenario-incidents.ts';

const GOLDEN_DIR = fileURLToPath(new URL('./fixtures/postmortems/', import.meta.url));
const UPDATE = process.env.HQWATCH_UPDATE_GOLDEN === '1';
const ZONE = 'Europe/Berlin';

interface Case {
  scenario: string;
  file: string;
  planned?: string;
  /** Notes added while the scenario plays: minutes into it, text, marked as a follow-up. */
  notes?: [number, string, boolean][];
}

const CASES: Case[] = [
  {
    scenario: 'clean-failover',
    file: 'clean-failover.md',
    notes: [
      [4, 'Paged the Windows team: the secondary’s services start by hand here.', false],
      [10, 'Write down who may start the secondary’s services at night.', true],
    ],
  },
  {
    scenario: 'failover-overrun',
    file: 'failover-overrun.md',
    notes: [[22, 'Overrun: the secondary’s database took 20 minutes to mount.', true]],
  },
  { scenario: 'split-brain', file: 'split-brain.md' },
  { scenario: 'dvs-lost-during-failover', file: 'dvs-lost-during-failover.md' },
  { scenario: 'dead-pair', file: 'dead-pair.md', notes: [[4, 'Both HQ servers unreachable: power in rack B?', true]] },
  { scenario: 'failover-failback', file: 'failover-failback-planned.md', planned: 'Quarterly DR drill' },
];

async function play(c: Case): Promise<RecordedScenario> {
  const pending = [...(c.notes ?? [])];
  return recordScenario(c.scenario, 230, {
    planned: c.planned,
    async during(atMs, t) {
      while (pending.length && pending[0]![0] * 60_000 <= atMs) {
        const [minute, text, followUp] = pending.shift()!;
        const [incident] = await t.incidents();
        const at = new Date(Date.parse('2026-03-02T08:00:00.000Z') + minute * 60_000).toISOString();
        const res = await t.api(`/api/incidents/${incident!.id}/annotations`, {
          method: 'POST',
          operator: true,
          body: JSON.stringify({ text, at, followUp }),
        });
        expect(res.status).toBe(201);
      }
    },
  });
}

/** Each GFM table of a document: its header cells and how many body rows markdown-it found. */
function tablesOf(markdown: string): { header: string[]; rows: number }[] {
  const tokens = new MarkdownIt().parse(markdown, {});
  const tables: { header: string[]; rows: number }[] = [];
  let current: { header: string[]; rows: number } | null = null;
  let inHead = false;
  for (const [i, token] of tokens.entries()) {
    if (token.type === 'table_open') tables.push((current = { header: [], rows: 0 }));
    if (token.type === 'thead_open') inHead = true;
    if (token.type === 'thead_close') inHead = false;
    if (token.type === 'th_open' && inHead) current!.header.push(tokens[i + 1]!.content);
    if (token.type === 'tr_open' && !inHead && current) current.rows += 1;
  }
  return tables;
}

/** Rows a table of the source has: lines between its delimiter row and the first line that is not a row. */
function sourceRows(markdown: string, header: string): number {
  const lines = markdown.split('\n');
  const start = lines.indexOf(header);
  let n = 0;
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) n += 1;
  return n;
}

describe.each(CASES)('the postmortem of $scenario', (c) => {
  it('reads as its golden file says, and its tables parse as GFM tables', async () => {
    const t = await play(c);
    try {
      const incidents = await t.incidents();
      expect(incidents).toHaveLength(1);
      const id = incidents[0]!.id;
      const res = await t.api(`/api/incidents/${id}/export?format=md&tz=${encodeURIComponent(ZONE)}`);
      expect(res.status).toBe(200);
      const markdown = await res.text();
      const file = path.join(GOLDEN_DIR, c.file);
      if (UPDATE || !existsSync(file)) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, markdown);
      }
      expect(markdown).toBe(readFileSync(file, 'utf8'));

      for (const table of tablesOf(markdown)) {
        const header = `| ${table.header.join(' | ')} |`;
        expect(table.rows, header).toBe(sourceRows(markdown, header));
        expect(table.rows, header).toBeGreaterThan(0);
      }
      const impact = tablesOf(markdown).find((x) => x.header[0] === 'Service');
      const detail = (await (await t.api(`/api/incidents/${id}`)).json()) as IncidentDetail;
      const pm = composePostmortem(detail, { zone: ZONE });
      if (pm.impact.length)
        expect(impact).toEqual({ header: ['Service', 'Sites', 'Users', 'User-minutes lost', 'Longest'], rows: pm.impact.length });

      // The incident view's header says the same: its summary, in the same words (addresses not as code).
      const summary = markdown.split('\n## Summary\n\n')[1]!.split('\n')[0]!;
      expect(summary.replace(/`/g, '')).toBe(pm.summary);
    } finally {
      await t.close();
    }
  }, 60_000);
});
