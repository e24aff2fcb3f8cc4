// Cross-site requests to the lab's control API. Loopback octet 32.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioPlayer, smallTopology, startControlApi, startLab, type ControlApi, type Lab } from '../../src/lab/index.ts';
import { rawRequest } from './support.ts';

let lab: Lab;
let player: ScenarioPlayer;
let control: ControlApi;

beforeAll(async () => {
  lab = await startLab(smallTopology(32));
  player = new ScenarioPlayer(lab);
  control = await startControlApi({ lab, player, port: 0 });
});
afterAll(async () => {
  player?.stop();
  await control?.close();
  await lab?.close();
});

const host = () => `127.0.0.1:${control.port}`;

describe('a page on another site driving the lab', () => {
  it("cannot start a scenario with fetch(…, { mode: 'no-cors' }): text/plain is refused", async () => {
    // What the browser sends for that fetch: a simple request, no preflight, the page's Origin.
    const res = await rawRequest(control.url, '/scenario', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' },
      body: '{"name":"split-brain"}',
    });
    expect(res.status).toBe(403);
    expect(player.current()).toBeNull();
  });

  it('cannot either with no Origin (a form post, a sandboxed frame) as long as the body is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await rawRequest(control.url, '/scenario', {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"name":"split-brain"}',
      });
      expect(res.status, type).toBe(415);
    }
    const put = await rawRequest(control.url, '/nodes/primary', {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: '{"state":"down"}',
    });
    expect(put.status).toBe(415);
    expect(player.current()).toBeNull();
    expect(lab.node('primary').state).toBe('serving');
  });

  it('cannot with a JSON body from a foreign Origin (a preflight it would need is never granted)', async () => {
    const res = await rawRequest(control.url, '/nodes/primary', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:8080' },
      body: '{"state":"down"}',
    });
    expect(res.status).toBe(403);
    const preflight = await rawRequest(control.url, '/nodes/primary', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(lab.node('primary').state).toBe('serving');
  });

  it('cannot through DNS rebinding: a Host that is not a loopback address or localhost is refused', async () => {
    const res = await rawRequest(control.url, '/nodes', { headers: { host: `attacker.example:${control.port}` } });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('primary');
  });

  it('still takes what the tools send: JSON, no Origin, or its own origin', async () => {
    const own = await rawRequest(control.url, '/nodes/primary', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: `http://${host()}` },
      body: '{"state":"stopped"}',
    });
    expect(own.status).toBe(200);
    const tool = await rawRequest(control.url, '/nodes/primary', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"state":"serving"}',
    });
    expect(tool.status).toBe(200);
    expect((await rawRequest(control.url, '/nodes', { headers: { host: `localhost:${control.port}` } })).status).toBe(200);
  });
});
