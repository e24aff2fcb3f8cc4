// The lab here uses loopback octet 47; the monitor's probes are scripted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioPlayer, smallTopology, startControlApi, startLab, type ControlApi, type Lab } from '../src/lab/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';

let lab: Lab;
let control: ControlApi;
let monitor: TestApp;

beforeAll(async () => {
  lab = await startLab(smallTopology(47));
  control = await startControlApi({ lab, player: new ScenarioPlayer(lab), port: 0 });
  monitor = await startTestApp(testConfig(47), { runProbe: scriptedProbes().run });
});
afterAll(async () => {
  await monitor?.close();
  await control?.close();
  await lab?.close();
});

async function answer(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { error: { code: string } } };
}

describe('one HTTP edge for the monitor API and the lab control API', () => {
  it('answers an unknown path with the same JSON error from both', async () => {
    for (const base of [monitor.url, control.url]) {
      expect(await answer(`${base}/nowhere`)).toMatchObject({
        status: 404,
        type: expect.stringContaining('application/json'),
        body: { error: { code: 'not_found' } },
      });
    }
  });

  it('answers a method a route does not take with a JSON 405 from both', async () => {
    expect(await answer(`${monitor.url}/api/state`, { method: 'POST' })).toMatchObject({
      status: 405,
      body: { error: { code: 'method_not_allowed' } },
    });
    expect(await answer(`${control.url}/nodes`, { method: 'POST' })).toMatchObject({
      status: 405,
      body: { error: { code: 'method_not_allowed' } },
    });
  });

  it('refuses an oversized body to the lab as payload_too_large, the code the monitor uses', async () => {
    const big = JSON.stringify({ state: 'down', padding: 'x'.repeat(32 * 1024) });
    expect(
      await answer(`${control.url}/nodes/primary`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: big }),
    ).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(lab.node('primary').state).toBe('serving');
  });
});
