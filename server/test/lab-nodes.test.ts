import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, smallTopology, type Lab } from '../src/lab/index.ts';
import { httpGet, sipOptions, tcpExchange, tcpOpen, until } from './lab-raw-clients.ts';

// Octet 60: this file's own addresses (127.60.x.y), so it runs beside other lab tests.
let lab: Lab;
let at: { address: string; ports: Record<string, number> };
const director = () => `http://${at.address}:${at.ports.director}/ShoreWareDirector/`;

beforeAll(async () => {
  lab = await startLab(smallTopology(60));
  const e = lab.endpoints('primary');
  at = { address: e.address, ports: e.ports as Record<string, number> };
});
afterAll(() => lab?.close());

describe('a simulated ShoreWare server', () => {
  it('binds its own loopback alias', () => {
    expect(at.address).toBe('127.60.1.10');
    expect(lab.endpoints('secondary').address).toBe('127.60.2.10');
    expect(lab.endpoints('dvs-austin').address).toBe('127.60.3.11');
    expect(lab.endpoints('witness').address).toBe('127.60.9.10');
  });

  it('serving: database banner, Director page, SIP 200 on 5441 and 5060, host port open', async () => {
    await lab.setState('primary', 'serving');
    const db = await tcpExchange(at.address, at.ports.database);
    expect(db).toMatchObject({ kind: 'data' });
    expect(db.kind === 'data' && db.text).toMatch(/^ShoreWare Configuration Database ready\r\n$/);
    expect(await tcpExchange(at.address, at.ports.host)).toMatchObject({ kind: 'closed' });

    const page = await httpGet(director());
    expect(page).toMatchObject({ kind: 'response', status: 200 });
    expect(page.kind === 'response' && page.body).toContain('ShoreWare Director');
    expect(page.kind === 'response' && page.headers['content-type']).toMatch(/text\/html/);
    expect(await httpGet(`http://${at.address}:${at.ports.director}/`)).toMatchObject({ kind: 'response', status: 302 });

    for (const port of [at.ports['call-control'], at.ports.sip]) {
      const sip = await sipOptions(at.address, port);
      expect(sip).toMatchObject({ kind: 'response', status: 200 });
      if (sip.kind !== 'response') continue;
      const header = (name: string, text: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1]?.trim();
      for (const name of ['Via', 'From', 'Call-ID', 'CSeq']) expect(header(name, sip.text)).toBe(header(name, sip.request));
      expect(header('To', sip.text)).toMatch(
        new RegExp(`^${header('To', sip.request)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};tag=[0-9a-f]+$`),
      );
    }
  });

  it('stopped: the host port answers, every service port refuses', async () => {
    await lab.setState('primary', 'stopped');
    expect(await tcpExchange(at.address, at.ports.host)).toMatchObject({ kind: 'closed' });
    expect(await tcpExchange(at.address, at.ports.database)).toEqual({ kind: 'refused' });
    expect(await httpGet(director())).toEqual({ kind: 'error', code: 'ECONNREFUSED' });
    for (const port of [at.ports['call-control'], at.ports.sip])
      expect(await sipOptions(at.address, port, 500)).toEqual({ kind: 'refused' });
  });

  it('hung: accepts TCP and HTTP but never answers, SIP silent; leaving hung drops the held connections', async () => {
    await lab.setState('primary', 'hung');
    expect(await tcpExchange(at.address, at.ports.database, 300)).toEqual({ kind: 'silent' });
    expect(await httpGet(director(), 300)).toEqual({ kind: 'silent' });
    expect(await sipOptions(at.address, at.ports['call-control'], 300)).toEqual({ kind: 'silent' });
    expect(await tcpExchange(at.address, at.ports.host)).toMatchObject({ kind: 'closed' });

    const held = await tcpOpen(at.address, at.ports.database);
    const heldHttp = await tcpOpen(at.address, at.ports.director);
    let answered = '';
    heldHttp.on('data', (chunk) => (answered += chunk.toString()));
    heldHttp.write(`GET /ShoreWareDirector/ HTTP/1.1\r\nHost: ${at.address}\r\n\r\n`);
    // A reset is the expected end: wait for 'close' whatever error comes first.
    const closed = [held, heldHttp].map((socket) => new Promise((resolve) => socket.on('error', () => undefined).on('close', resolve)));
    await lab.setState('primary', 'serving');
    await Promise.all(closed); // destroyed by the state change, not left hanging
    expect(answered).toBe('');
  });

  // Changed deliberately: `down` used to close every port, which on loopback answers with a reset
  // (refused) — what a live host with stopped services does. A machine that is off answers nothing.
  it('down: nothing answers, the host port included: connections time out and SIP stays silent, as with a machine that is off', async () => {
    await lab.setState('primary', 'down');
    const [host, db, page, sip, callControl] = await Promise.all([
      tcpExchange(at.address, at.ports.host, 500),
      tcpExchange(at.address, at.ports.database, 500),
      httpGet(director(), 500),
      sipOptions(at.address, at.ports.sip, 500),
      sipOptions(at.address, at.ports['call-control'], 500),
    ]);
    expect({ host, db, page, sip, callControl }).toEqual({
      host: { kind: 'silent' },
      db: { kind: 'silent' },
      page: { kind: 'silent' },
      sip: { kind: 'silent' },
      callControl: { kind: 'silent' },
    });
    expect(lab.listeners().filter((l) => l.nodeId === 'primary')).toEqual([]);
    // Back up at once on the same ports.
    await lab.setState('primary', 'serving');
    expect(await tcpExchange(at.address, at.ports.database)).toMatchObject({ kind: 'data' });
    expect(await sipOptions(at.address, at.ports.sip)).toMatchObject({ kind: 'response', status: 200 });
  });

  it('down and back, many times over: every port is released each time', async () => {
    for (let i = 0; i < 5; i++) {
      await lab.setState('primary', 'down');
      await lab.setState('primary', i % 2 ? 'stopped' : 'serving');
    }
    expect(await tcpExchange(at.address, at.ports.host)).toMatchObject({ kind: 'closed' });
    await lab.setState('primary', 'serving');
  });

  it('slow: every service answers after the added latency', async () => {
    await lab.setState('primary', 'slow', { latencyMs: 250 });
    expect(lab.node('primary')).toMatchObject({ state: 'slow', latencyMs: 250 });
    const [db, page, sip] = await Promise.all([
      tcpExchange(at.address, at.ports.database, 3_000),
      httpGet(director(), 3_000),
      sipOptions(at.address, at.ports['call-control'], 3_000),
    ]);
    expect(db).toMatchObject({ kind: 'data' });
    expect(page).toMatchObject({ kind: 'response', status: 200 });
    expect(sip).toMatchObject({ kind: 'response', status: 200 });
    for (const outcome of [db, page, sip]) expect(outcome.kind !== 'silent' && 'ms' in outcome && outcome.ms).toBeGreaterThanOrEqual(240);
  });

  it('sip-503: SIP answers 503 on both ports while TCP and HTTP still serve', async () => {
    await lab.setState('primary', 'sip-503');
    for (const port of [at.ports['call-control'], at.ports.sip]) {
      const sip = await sipOptions(at.address, port);
      expect(sip).toMatchObject({ kind: 'response', status: 503 });
      expect(sip.kind === 'response' && sip.text).toMatch(/^SIP\/2\.0 503 Service Unavailable\r\n/);
    }
    expect(await httpGet(director())).toMatchObject({ kind: 'response', status: 200 });
    expect(await tcpExchange(at.address, at.ports.database)).toMatchObject({ kind: 'data' });
  });

  it('flapping: alternates between serving and stopped at the given period', async () => {
    await lab.setState('primary', 'flapping', { periodMs: 150 });
    expect(lab.node('primary')).toMatchObject({ state: 'flapping', periodMs: 150 });
    const seen = new Set<string>();
    await until(
      async () => {
        seen.add((await tcpExchange(at.address, at.ports.database, 500)).kind);
        return seen.has('refused') && seen.has('data');
      },
      10_000,
      'both phases',
    );
    await lab.setState('primary', 'serving');
    // No phase toggle survives the change: the port keeps serving for several former periods.
    const end = performance.now() + 600;
    while (performance.now() < end) expect(await tcpExchange(at.address, at.ports.database)).toMatchObject({ kind: 'data' });
    expect(lab.node('primary')).not.toHaveProperty('periodMs');
  });

  it('the witness is a TCP listener a scenario can take down', async () => {
    const witness = lab.endpoints('witness');
    expect(await tcpExchange(witness.address, witness.ports.witness!)).toMatchObject({ kind: 'closed' });
    await lab.setState('witness', 'down');
    expect(await tcpExchange(witness.address, witness.ports.witness!, 500)).toEqual({ kind: 'silent' });
    await lab.setState('witness', 'serving');
    expect(await tcpExchange(witness.address, witness.ports.witness!)).toMatchObject({ kind: 'closed' });
  });

  it('starts the standby secondary stopped and every other node serving', () => {
    const states = Object.fromEntries(lab.states().map((n) => [n.id, n.state]));
    expect(states).toMatchObject({ secondary: 'stopped', 'dvs-boston': 'serving', 'dvs-austin': 'serving' });
  });

  it('rejects an unknown node', async () => {
    await expect(lab.setState('nope', 'down')).rejects.toThrow(/unknown node "nope"/);
  });
});
