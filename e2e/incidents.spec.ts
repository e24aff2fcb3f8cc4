import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { SERVICE_KEYS, type IncidentDetail, type IncidentList, type LiveState, type ServiceKey } from '@hqwatch/shared';
import { test, expect } from './fixtures.ts';
import type { Harness } from './harness.ts';

const ARTIFACTS = 'e2e/artifacts';
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

/**
 * The demo lab's sites (server/src/lab/topology.ts): through which server each one's users,
 * voicemail and DRS access go. With every distributed server up, a window takes telephony and video
 * from the sites homed on HQ, voicemail from those routed through HQ, and intersite calls from those
 * whose only DRS access is HQ (DESIGN.md, impact rules).
 */
const DEMO_SITES: Record<string, { users: string; voicemail: string; drs: string[] }> = {
  hq: { users: 'hq', voicemail: 'hq', drs: ['hq'] },
  boston: { users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'] },
  austin: { users: 'dvs-austin', voicemail: 'hq', drs: ['hq'] },
  chicago: { users: 'hq', voicemail: 'dvs-boston', drs: ['dvs-boston'] },
  denver: { users: 'dvs-denver', voicemail: 'dvs-denver', drs: ['dvs-denver', 'hq'] },
  seattle: { users: 'hq', voicemail: 'hq', drs: ['hq'] },
  london: { users: 'dvs-london', voicemail: 'dvs-london', drs: ['dvs-london'] },
  dublin: { users: 'dvs-london', voicemail: 'dvs-london', drs: ['dvs-london', 'hq'] },
  atlanta: { users: 'dvs-austin', voicemail: 'dvs-austin', drs: ['hq'] },
  phoenix: { users: 'dvs-denver', voicemail: 'hq', drs: ['dvs-denver'] },
  toronto: { users: 'hq', voicemail: 'hq', drs: [] },
  miami: { users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['hq'] },
};

function expectedDown(service: 'telephony' | 'voicemail' | 'drsIntersite'): string[] {
  return Object.entries(DEMO_SITES)
    .filter(([, s]) =>
      service === 'telephony' ? s.users === 'hq' : service === 'voicemail' ? s.voicemail === 'hq' : s.drs.length === 1 && s.drs[0] === 'hq',
    )
    .map(([id]) => id)
    .sort();
}

/** Site cells of the replayed view, `<site>/<service>` → status. */
async function replayedCells(page: Page): Promise<Record<string, string>> {
  return page
    .getByTestId('replay-view')
    .evaluate((root) =>
      Object.fromEntries(
        Array.from(root.querySelectorAll<HTMLElement>('[data-testid^="site-cell-"]'), (cell) => [
          `${(cell.closest('[data-site]') as HTMLElement).dataset.site}/${cell.dataset.service}`,
          cell.dataset.status ?? '',
        ]),
      ),
    );
}

function cellsOf(state: LiveState): Record<string, string> {
  return Object.fromEntries(state.sites.flatMap((site) => SERVICE_KEYS.map((key) => [`${site.id}/${key}`, site.services[key].status])));
}

function downSites(cells: Record<string, string>, service: ServiceKey): string[] {
  return Object.entries(cells)
    .filter(([key, status]) => key.endsWith(`/${service}`) && status === 'down')
    .map(([key]) => key.split('/')[0]!)
    .sort();
}

async function json<T>(hq: Harness, path: string): Promise<T> {
  const res = await fetch(`${hq.baseURL}${path}`);
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

/** Failover then failback, each window held `holdMs`; returns the window lengths as the test saw them. */
async function runFailoverFailback(hq: Harness, holdMs: number): Promise<{ failoverMs: number; failbackMs: number }> {
  const seen = async (state: LiveState['hq']['state']) => {
    await hq.waitForState((s) => s.hq.state === state, 15_000);
    return Date.now();
  };
  await hq.setNode('primary', 'stopped');
  const failoverAt = await seen('failing-over');
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  await hq.setNode('secondary', 'serving');
  const secondaryAt = await seen('secondary-active');
  await hq.setNode('secondary', 'stopped');
  const failbackAt = await seen('failing-back');
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  await hq.setNode('primary', 'serving');
  const primaryAt = await seen('primary-active');
  await hq.waitForState((s) => s.incident === null && s.hq.state === 'primary-active', 15_000);
  return { failoverMs: secondaryAt - failoverAt, failbackMs: primaryAt - failbackAt };
}

test('an incident is listed, replayed, annotated, exported and deep-linked', async ({ page, hq }) => {
  test.setTimeout(150_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const measured = await runFailoverFailback(hq, 5_500);
  const list = await json<IncidentList>(hq, '/api/incidents');
  expect(list.incidents).toHaveLength(1);
  const id = list.incidents[0]!.id;
  const detail = await json<IncidentDetail>(hq, `/api/incidents/${id}`);

  await test.step('the list shows the incident with its windows as long as they were', async () => {
    await page.goto(`${hq.baseURL}/incidents`);
    const row = page.getByTestId(`incident-row-${id}`);
    await expect(row).toBeVisible();
    const windows = row.getByTestId('window');
    await expect(windows).toHaveCount(2);
    for (const [index, kind, ms] of [
      [0, 'failover', measured.failoverMs],
      [1, 'failback', measured.failbackMs],
    ] as const) {
      const window = windows.nth(index);
      await expect(window).toHaveAttribute('data-kind', kind);
      const shown = Number(await window.getAttribute('data-duration-ms'));
      expect(Math.abs(shown - ms), `${kind}: listed ${shown} ms, seen ${ms} ms`).toBeLessThanOrEqual(hq.intervalMs);
      const seconds = Math.round(shown / 1000);
      await expect(window).toContainText(`${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`);
      await expect(window).toContainText('within expected');
    }
    await page.screenshot({ path: `${ARTIFACTS}/incidents-list.png` });

    await page.goto(`${hq.baseURL}/incidents?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    await expect(page.getByTestId('incidents-empty')).toContainText('No incident in this date range');
  });

  const failover = detail.incident.windows[0]!;
  const startMs = Date.parse(detail.incident.startedAt);
  const offset = Math.round((Date.parse(failover.startedAt) + failover.durationMs / 2 - startMs) / 1000) * 1000;
  const middle = new Date(startMs + offset).toISOString();
  let deepLink = '';

  await test.step('scrubbing to the middle of the failover window shows its banner and exactly its impacted sites', async () => {
    await page.goto(`${hq.baseURL}/incidents`);
    await page.getByTestId(`incident-row-${id}`).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${id}`));
    await page.getByTestId('replay-scrubber').fill(String(offset));
    const view = page.getByTestId('replay-view');
    await expect(view).toHaveAttribute('data-shown-at', middle);
    await expect(page.getByTestId('replay-time')).toHaveAttribute('data-at', middle);
    const banner = view.getByTestId('banner');
    await expect(banner).toHaveAttribute('data-kind', 'failover');
    await expect(banner).toContainText('Failover in progress');

    const replayed = await json<LiveState>(hq, `/api/incidents/${id}/replay?at=${encodeURIComponent(middle)}`);
    await expect.poll(() => replayedCells(page)).toEqual(cellsOf(replayed));
    const cells = await replayedCells(page);
    expect(downSites(cells, 'telephony')).toEqual(expectedDown('telephony'));
    expect(downSites(cells, 'video')).toEqual(expectedDown('telephony'));
    expect(downSites(cells, 'voicemail')).toEqual(expectedDown('voicemail'));
    expect(downSites(cells, 'drsIntersite')).toEqual(expectedDown('drsIntersite'));
    expect(downSites(cells, 'im')).toEqual([]);
    expect(downSites(cells, 'configChanges')).toEqual(Object.keys(DEMO_SITES).sort());
    await expect(view.getByTestId('site-cell-hq-telephony')).toContainText('Down');

    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(middle);
    deepLink = page.url();
    await page.screenshot({ path: `${ARTIFACTS}/incident-replay.png`, fullPage: true });
  });

  await test.step('a wrong token says so and keeps the note; the right one adds it, shown as text', async () => {
    const input = page.getByTestId('annotation-input');
    await input.fill(XSS);
    await page.getByTestId('annotation-token').fill('not-the-token');
    await page.getByTestId('annotation-submit').click();
    await expect(page.getByTestId('annotation-error')).toContainText('operator token was refused');
    await expect(input).toHaveValue(XSS);

    await page.getByTestId('annotation-token').fill(hq.operatorToken);
    await page.getByTestId('annotation-submit').click();
    await expect(page.getByTestId('annotation-text')).toHaveText(XSS);
    await expect(input).toHaveValue('');
    await expect(page.getByTestId('annotations').locator('img, script')).toHaveCount(0);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => [sessionStorage.length > 0, JSON.stringify(localStorage).includes('e2e-')])).toEqual([true, false]);
  });

  await test.step('an operator marks the note as a follow-up; the header tells the story and counts the impact', async () => {
    await page.getByTestId('annotation-follow-up-toggle').click();
    await expect(page.getByTestId('annotation-follow-up')).toHaveText(/Follow-up/);
    await expect(page.getByTestId('annotation-follow-up-toggle')).toHaveText('Not a follow-up');
    await expect(page.getByTestId('incident-summary')).toContainText('and a failover to');
    const impact = page.getByTestId('incident-impact');
    await expect(impact.locator('thead th')).toHaveText(['Service', 'Sites', 'Users', 'User-minutes lost', 'Longest']);
    await expect(impact.locator('tbody th').first()).toHaveText('Call Manager telephony & video');
  });

  await test.step('each export downloads the incident', async () => {
    const download = async (format: 'json' | 'csv' | 'md') => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
      expect(file.suggestedFilename()).toBe(`${id}.${format}`);
      return readFile((await file.path())!, 'utf8');
    };
    const exported = JSON.parse(await download('json')) as IncidentDetail & { format: string };
    expect(exported.format).toBe('hqwatch-incident');
    expect(exported.incident.id).toBe(id);
    expect(exported.incident.windows.map((w) => w.kind)).toEqual(['failover', 'failback']);
    expect(exported.timeline.some((e) => e.type === 'annotation' && e.text === XSS)).toBe(true);

    const csv = await download('csv');
    expect(csv.split('\n')[0]).toMatch(/^at,type,incident_id,/);
    expect(csv).toContain(`hq-transition,${id}`);
    expect(csv).toContain(XSS);

    const markdown = await download('md');
    expect(markdown).toMatch(new RegExp(`^# Incident ${id}`));
    expect(markdown).toContain('## Windows');
    expect(markdown).toContain('&lt;script&gt;');
    expect(markdown).not.toContain('<script>');
    // The note marked as a follow-up is in the checklist, as text.
    expect(markdown).toMatch(/## Follow-ups\n\n- \[ \] &lt;img src\\=x/);
    // What the header says is what the file says (the file shows addresses as code).
    const summary = markdown.split('\n## Summary\n\n')[1]!.split('\n')[0]!.replace(/`/g, '');
    await expect(page.getByTestId('incident-summary')).toHaveText(summary);
    expect(markdown).toContain('| Service | Sites | Users | User-minutes lost | Longest |');
    expect(markdown).toContain('## Appendix: detail per site\n\n### Impact per site');
    const [short] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md-short').click()]);
    const shortText = await readFile((await short.path())!, 'utf8');
    expect(shortText).not.toContain('### Impact per site');
    expect(shortText.split('## Appendix')[0]).toBe(markdown.split('## Appendix')[0]);
  });

  await test.step('the deep link reopens the same moment', async () => {
    await page.goto('about:blank');
    await page.goto(deepLink);
    await expect(page.getByTestId('replay-time')).toHaveAttribute('data-at', middle);
    await expect(page.getByTestId('replay-view')).toHaveAttribute('data-shown-at', middle);
    await expect(page.getByTestId('replay-view').getByTestId('banner')).toHaveAttribute('data-kind', 'failover');
    await expect(page.getByTestId('replay-scrubber')).toHaveValue(String(offset));
    await page.getByTestId('utc-toggle').check();
    await expect(page.getByTestId('replay-time')).toContainText(`${middle.slice(0, 10)} ${middle.slice(11, 19)} UTC`);
  });

  await test.step('a moment outside the incident, or not a time, is explained', async () => {
    await page.goto(`${hq.baseURL}/incidents/${id}?at=${encodeURIComponent(new Date(startMs - 3_600_000).toISOString())}`);
    await expect(page.getByTestId('incident-error')).toContainText('is outside this incident');
    await expect(page.getByTestId('replay-scrubber')).toBeVisible();
    await page.goto(`${hq.baseURL}/incidents/${id}?at=yesterday`);
    await expect(page.getByTestId('incident-error')).toContainText('"yesterday" is not a time');
  });
});

test('an unknown incident says so instead of a blank page', async ({ page, hq }) => {
  await page.goto(`${hq.baseURL}/incidents/inc-does-not-exist`);
  const error = page.getByTestId('incident-error');
  await expect(error).toContainText('Incident not found');
  await expect(error).toContainText('There is no incident "inc-does-not-exist"');
  await expect(error.getByRole('link', { name: 'See all incidents' })).toBeVisible();

  await page.goto(`${hq.baseURL}/incidents`);
  await expect(page.getByTestId('incidents-empty')).toContainText('No incident recorded yet');
});
