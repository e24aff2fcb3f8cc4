/**
 * The alerting and maintenance commands as a user runs them (octet 35): `check-config` reports
 * every mistake of `notify:` as `path: message` (unknown channel ids, bad URLs, missing secrets,
 * `${ENV:NAME}` unset) without ever printing a secret; `notify test` sends a test alert to a real
 * receiver; `maintenance add|list|remove` work a running server over REST.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifyApp, OPERATOR_TOKEN, type NotifyApp } from './support/notify-app.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-notify-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hqwatch(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/hqwatch.mjs'), ...args], {
      env: { ...process.env, HQWATCH_OPERATOR_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const BASE = `
headquarters:
  primary: { name: HQ primary, address: 127.0.1.10, probes: [ { kind: tcp, port: 4308 }, { kind: tcp, port: 135, role: host } ] }
  secondary: { name: HQ secondary, address: 127.0.2.10, probes: [ { kind: tcp, port: 4308 }, { kind: tcp, port: 135, role: host } ] }
servers:
  - { id: dvs-boston, name: Boston DVS, address: 127.0.3.10, probes: [ { kind: sip, port: 5441 } ] }
sites:
  - { id: hq, name: Headquarters, users: hq, voicemail: hq }
`;

describe('hqwatch check-config with notify', () => {
  it('accepts the smallest webhook setup', async () => {
    const res = await hqwatch([
      'check-config',
      file(
        'smallest.yaml',
        `${BASE}
notify:
  channels: [ { id: ops, kind: webhook, url: "http://127.0.0.1:9000/hook", secret: "at-least-16-chars" } ]
  routes: [ { channels: [ops] } ]
`,
      ),
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/: ok \(3 nodes, 1 sites, 5 probes, 1 alert channel and 1 route\)$/m);
  });

  it('reports every mistake at once as path: message, and never a secret', async () => {
    const res = await hqwatch(
      [
        'check-config',
        file(
          'bad.yaml',
          `${BASE}
notify:
  channels:
    - { id: ops, kind: webhook, url: "ftp://example.com/hook", secret: "short" }
    - { id: ops, kind: slack, url: "\${ENV:SLACK_URL}" }
    - { id: pager, kind: pagerduty }
    - { id: mail, kind: email, smtp: { host: smtp.example.com, user: hqwatch }, from: "hqwatch@example.com", to: [] }
    - { id: teams, kind: teams, url: "\${ENV:TEAMS_URL}" }
    - { id: chat, kind: slack, url: "\${ENV:HALF" }
  routes:
    - { channels: [ops, nope], sites: [atlantis], servers: [dvs-nowhere], events: [window.exploded] }
`,
        ),
      ],
      { TEAMS_URL: 'not-a-url-but-a-secret-value' },
    );
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'notify.channels[0].url: url: expected an http:// or https:// URL, or ${ENV:NAME}',
        'notify.channels[0].secret: secret needs at least 16 characters (or ${ENV:NAME})',
        'notify.channels[2].routingKey: routingKey is required',
        'notify.channels[3].to: at least one recipient',
        'notify.channels[5].url: write an environment variable as ${ENV:NAME}, alone in the value',
        'notify.routes[0].events[0]: ' +
          lines.find((l) => l.startsWith('notify.routes[0].events[0]: '))!.slice('notify.routes[0].events[0]: '.length),
        'notify.channels[1].id: duplicate channel id "ops"',
        'notify.channels[3].smtp.password: password is required with user',
        'notify.routes[0].channels[1]: unknown channel "nope" (not in notify.channels)',
        'notify.routes[0].sites[0]: unknown site "atlantis"',
        'notify.routes[0].servers[0]: unknown server "dvs-nowhere" (primary, secondary or a server id)',
      ]),
    );
    expect(lines.find((l) => l.startsWith('notify.routes[0].events[0]: '))).toMatch(/expected one of incident.opened, window.opened/);
    expect(res.stderr).not.toContain('short"');
  });

  it('checks ${ENV:NAME} secrets against the environment, naming the variable and never its value', async () => {
    const config = file(
      'env.yaml',
      `${BASE}
notify:
  channels:
    - { id: chat, kind: slack, url: "\${ENV:SLACK_URL}" }
    - { id: teams, kind: teams, url: "\${ENV:TEAMS_URL}" }
    - { id: hook, kind: webhook, url: "http://127.0.0.1:9000/hook", secret: "\${ENV:HOOK_SECRET}" }
  routes: [ { channels: [chat, teams, hook] } ]
`,
    );
    const unset = await hqwatch(['check-config', config], { TEAMS_URL: 'not-a-url-but-a-secret-value', HOOK_SECRET: 'tiny' });
    expect(unset.code).toBe(2);
    expect(unset.stderr.trim().split('\n')).toEqual([
      'notify.channels[0].url: ${ENV:SLACK_URL}: SLACK_URL is not set in the environment',
      'notify.channels[1].url: ${ENV:TEAMS_URL}: the value of TEAMS_URL is not an http:// or https:// URL',
      'notify.channels[2].secret: ${ENV:HOOK_SECRET}: the value of HOOK_SECRET is shorter than 16 characters',
    ]);
    expect(unset.stderr).not.toContain('not-a-url-but-a-secret-value');
    const set = await hqwatch(['check-config', config], {
      SLACK_URL: 'https://hooks.slack.com/services/T0/B0/secretpath',
      TEAMS_URL: 'https://example.webhook.office.com/webhookb2/secret',
      HOOK_SECRET: 'sixteen-chars-or-more',
    });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('secretpath');
  });
});

describe('hqwatch notify test', () => {
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startHttpReceiver('127.0.35.250');
  });
  afterAll(() => receiver.close());

  it('sends a test message on a channel and says so; a channel that fails says why, without its secret', async () => {
    const config = file(
      'test-send.yaml',
      `${BASE}
notify:
  channels:
    - { id: ops, kind: webhook, url: "${receiver.url}/hook", secret: "\${ENV:HOOK_SECRET}" }
    - { id: gone, kind: slack, url: "http://127.0.35.251:59999/services/SECRETPATH" }
  routes: [ { channels: [ops, gone] } ]
`,
    );
    const ok = await hqwatch(['notify', 'test', 'ops', '--config', config], { HOOK_SECRET: 'sixteen-chars-or-more' });
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('ops (webhook): test message delivered (HTTP 200)');
    expect(ok.code).toBe(0);
    expect((receiver.received[0]!.json as { event: string }).event).toBe('test');
    const failed = await hqwatch(['notify', 'test', 'gone', '--config', config], { HOOK_SECRET: 'sixteen-chars-or-more' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^gone \(slack\): not delivered: fetch failed: .*ECONNREFUSED/);
    expect(failed.stderr).not.toContain('SECRETPATH');
    const unknown = await hqwatch(['notify', 'test', 'nope', '--config', config], { HOOK_SECRET: 'sixteen-chars-or-more' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no channel "nope"');
  });
});

describe('hqwatch maintenance', () => {
  let t: NotifyApp;
  beforeAll(async () => {
    t = await startNotifyApp(35, {});
  });
  afterAll(() => t.close());

  it('adds, lists and removes windows on a running server, as an operator', async () => {
    const refused = await hqwatch(['maintenance', 'add', '--duration', '30m', '--reason', 'drill', '--url', t.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HQWATCH_OPERATOR_TOKEN');
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const to = new Date(Date.now() + 7_200_000).toISOString();
    const added = await hqwatch(
      ['maintenance', 'add', '--from', from, '--to', to, '--reason', 'quarterly failover drill', '--url', t.url],
      {
        HQWATCH_OPERATOR_TOKEN: OPERATOR_TOKEN,
      },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = /^added: (mw-[0-9a-f]+) /.exec(added.stdout)![1]!;
    const now = await hqwatch([
      'maintenance',
      'add',
      '--duration',
      '15m',
      '--reason',
      'on the spot',
      '--url',
      t.url,
      '--token',
      OPERATOR_TOKEN,
    ]);
    expect(now.code).toBe(0);
    const listed = await hqwatch(['maintenance', 'list', '--url', t.url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  ${from} → ${to}  quarterly failover drill`);
    expect(listed.stdout).toMatch(/on the spot {2}\(in force now\)/);
    const bad = await hqwatch([
      'maintenance',
      'add',
      '--to',
      from,
      '--duration',
      '1h',
      '--reason',
      'x',
      '--url',
      t.url,
      '--token',
      OPERATOR_TOKEN,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('to: give either to or duration');
    const removed = await hqwatch(['maintenance', 'remove', id, '--url', t.url, '--token', OPERATOR_TOKEN]);
    expect(removed.stdout).toMatch(/^removed: /);
    expect((await hqwatch(['maintenance', 'list', '--url', t.url])).stdout).not.toContain(id);
  }, 90_000); // eight CLI processes, each a cold start of Node
});

describe('examples/notify.example.yaml', () => {
  const example = path.join(ROOT, 'examples/notify.example.yaml');
  const secrets = {
    HQWATCH_WEBHOOK_SECRET: 'example-secret-of-16+',
    OPS_API_KEY: 'key',
    SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
    TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/webhookb2/x',
    SMTP_PASSWORD: 'password',
    PAGERDUTY_ROUTING_KEY: 'R0UT1NGK3Y0000000000000000000000',
  };

  it('is valid with its secrets in the environment, and names each one missing otherwise', async () => {
    const ok = await hqwatch(['check-config', example], secrets);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('5 alert channels and 4 routes');
    const missing = await hqwatch(['check-config', example], { ...secrets, SMTP_PASSWORD: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'notify.channels[3].smtp.password: ${ENV:SMTP_PASSWORD}: SMTP_PASSWORD is not set in the environment',
    );
  });
});
