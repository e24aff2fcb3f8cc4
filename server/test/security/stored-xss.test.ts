// Stored XSS and export injection through notes, site names and config values. Loopback octet 31
// (scripted probes, a real store). The dashboard itself is checked in Chromium: e2e/security-xss.spec.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/api/export-csv.ts';
import { openStore } from '../../src/store/store.ts';
import { eventually, startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { rawRequest } from './support.ts';

const TOKEN = 'operator-token-of-octet-31';
const SITE_NAME = '<img src=x onerror=alert(1)> [win](javascript:alert(2)) =HYPERLINK("http://evil.example","x")';
const NOTES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click me](javascript:alert(1)) and ![pixel](http://evil.example/p.png)',
  'details at https://evil.example/phish and www.evil.example or evil.example.com',
  'mail evil@example.com',
  '<https://evil.example/autolink>',
  '=HYPERLINK("http://evil.example","click")',
  '+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd|" /C calc"!A0',
  '\tleading tab',
  '\rleading carriage return',
  '# heading\n- list\n> quote\n| table | cell |\n```\ncode\n```',
];

let t: TestApp;
let dir: string;
let incidentId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-xss-'));
  const base = testConfig(31);
  const config = testConfig(31, {
    auth: { anonymous: 'viewer', operatorTokens: [TOKEN] },
    sites: [{ id: 'hq', name: SITE_NAME, users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 10 }],
    headquarters: { ...base.headquarters, primary: { ...base.headquarters.primary, name: '<b onmouseover=alert(3)>HQ</b>' } },
  });
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  t = await startTestApp(config, {
    runProbe: probes.run,
    store: await openStore({ dataDir: dir, retentionDays: 90, checkpointIntervalMs: 60_000 }),
  });
  await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
  probes.set(config.headquarters.primary.address, false);
  incidentId = await eventually(() => t.app.monitor.current().incident?.id, 10_000, 'an incident');
  await eventually(() => t.app.monitor.current().hq.state !== 'primary-active', 10_000, 'the failover');
  for (const text of NOTES) {
    const res = await rawRequest(t.url, `/api/incidents/${incidentId}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what the API answers with operator text in it', () => {
  it('is JSON that no browser sniffs into HTML', async () => {
    for (const p of ['/api/state', `/api/incidents/${incidentId}`, `/api/incidents/${incidentId}/export?format=json`]) {
      const res = await rawRequest(t.url, p);
      expect(res.headers['content-type'], p).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options'], p).toBe('nosniff');
      expect(res.headers['content-security-policy'], p).toContain("script-src 'self'");
    }
  });
});

describe('the Markdown postmortem', () => {
  it('renders operator text and names as text: no link, image, script or markup (CommonMark with linkify, as GitHub)', async () => {
    const res = await rawRequest(t.url, `/api/incidents/${incidentId}/export?format=md`);
    expect(res.status).toBe(200);
    const html = new MarkdownIt({ html: true, linkify: true }).render(res.body);
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b[\s>]/i);
    expect(html).not.toMatch(/<(h[1-6]|blockquote|pre|code)>[^<]*(heading|quote|code)/);
    // Still readable: the text is there, as text.
    expect(html).toContain('evil.example/phish');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the CSV export', () => {
  it('guards every text cell a spreadsheet would run as a formula, in every column', async () => {
    const res = await rawRequest(t.url, `/api/incidents/${incidentId}/export?format=csv`);
    const cells = res.body.split(/\r\n/).flatMap((line) => line.split(','));
    for (const cell of cells) {
      const text = cell.startsWith('"') ? cell.slice(1) : cell;
      expect(text, cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('guards the field itself whatever the column', () => {
    for (const dangerous of ['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(dangerous).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField(-5)).toBe('-5');
    expect(csvField('failing-over')).toBe('failing-over');
  });
});
