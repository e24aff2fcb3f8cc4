import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioPlayer, smallTopology, startControlApi, startLab, type ControlApi, type Lab } from '../src/lab/index.ts';
import { tcpExchange, until } from './lab-raw-clients.ts';

let lab: Lab;
let api: ControlApi;

beforeAll(async () => {
  lab = await startLab(smallTopology(63));
  api = await startControlApi({ lab, player: new ScenarioPlayer(lab), port: 0 });
});
afterAll(async () => {
  await api?.close();
  await lab?.close();
});

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('lab control API', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(api.server.address()).toMatchObject({ address: '127.0.0.1', port: api.port });
  });

  it('GET /nodes lists every node with its state, address and ports', async () => {
    const { status, body } = await call('GET', '/nodes');
    expect(status).toBe(200);
    expect(body.nodes.map((n: { id: string }) => n.id)).toEqual(['primary', 'secondary', 'dvs-boston', 'dvs-austin', 'witness']);
    expect(body.nodes[0]).toMatchObject({
      id: 'primary',
      role: 'hq-primary',
      address: '127.63.1.10',
      state: 'serving',
      ports: { database: 4308 },
    });
    expect(body.nodes[1]).toMatchObject({ id: 'secondary', state: 'stopped' });
  });

  it('PUT /nodes/:id changes what the node answers', async () => {
    const { status, body } = await call('PUT', '/nodes/dvs-boston', { state: 'down' });
    expect(status).toBe(200);
    expect(body.node).toMatchObject({ id: 'dvs-boston', state: 'down' });
    const boston = lab.endpoints('dvs-boston');
    // A machine that is off: nothing answers, not even a refusal (see the lab's `down`).
    expect(await tcpExchange(boston.address, boston.ports.host!, 500)).toEqual({ kind: 'silent' });
    expect((await call('PUT', '/nodes/dvs-boston', { state: 'slow', latencyMs: 20 })).body.node).toMatchObject({
      state: 'slow',
      latencyMs: 20,
    });
    expect((await call('PUT', '/nodes/dvs-boston', { state: 'serving' })).body.node.state).toBe('serving');
  });

  it('PUT with a bad body answers 400 naming the field, without touching the node', async () => {
    const bad = await call('PUT', '/nodes/primary', { state: 'sideways' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_body', field: 'state' });
    const wrongOption = await call('PUT', '/nodes/primary', { state: 'stopped', latencyMs: -1 });
    expect(wrongOption.status).toBe(400);
    expect(wrongOption.body.error.field).toBe('latencyMs');
    const unknownKey = await call('PUT', '/nodes/primary', { state: 'down', colour: 'red' });
    expect(unknownKey.status).toBe(400);
    const notJson = await call('PUT', '/nodes/primary', undefined, '{state: down');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    expect(lab.node('primary').state).toBe('serving');
  });

  it('PUT on an unknown node answers 404', async () => {
    const res = await call('PUT', '/nodes/tertiary', { state: 'down' });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'unknown_node' } } });
  });

  it('POST /scenario plays a built-in scenario, GET shows it, DELETE stops it', async () => {
    expect((await call('GET', '/scenario')).body).toEqual({ scenario: null });
    const started = await call('POST', '/scenario', { name: 'primary-recovers', speed: 600 });
    expect(started.status).toBe(201);
    expect(started.body.scenario).toMatchObject({ name: 'primary-recovers', speed: 600, running: true });
    // At speed 600 the primary stops 100 ms in.
    await until(() => lab.node('primary').state === 'stopped', 5_000, 'primary stopped by the scenario');
    expect((await call('GET', '/scenario')).body.scenario.stepsApplied).toBeGreaterThanOrEqual(3);
    expect((await call('DELETE', '/scenario')).body).toEqual({ stopped: true });
    expect((await call('GET', '/scenario')).body).toEqual({ scenario: null });
    expect((await call('DELETE', '/scenario')).body).toEqual({ stopped: false });
    await call('PUT', '/nodes/primary', { state: 'serving' });
  });

  it('POST /scenario refuses unknown names and bad speeds', async () => {
    expect(await call('POST', '/scenario', { name: 'meteor-strike' })).toMatchObject({
      status: 404,
      body: { error: { code: 'unknown_scenario' } },
    });
    expect(await call('POST', '/scenario', { name: 'clean-failover', speed: -3 })).toMatchObject({
      status: 400,
      body: { error: { field: 'speed' } },
    });
    expect(await call('POST', '/scenario', { name: '../../etc/passwd' })).toMatchObject({ status: 404 });
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const wrong = await fetch(`${api.url}/nodes`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toMatch(/GET/);
    expect(await wrong.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});
