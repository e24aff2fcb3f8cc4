// Config injection: YAML tags, alias bombs, prototype pollution keys, against `check-config` and a
// running `serve` that reloads its file. Loopback octet 30 (nothing listens there: every node is down).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '@hqwatch/shared';
import { rawRequest, until } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const VALID = `
monitor: { interval: 500ms, timeout: 300ms }
auth: { anonymous: viewer }
headquarters:
  primary: { name: HQ primary, address: 127.30.1.10, probes: [ { kind: tcp, port: 4308 } ] }
  secondary: { name: HQ secondary, address: 127.30.2.10, probes: [ { kind: tcp, port: 4308 } ] }
sites:
  - { id: hq, name: Headquarters, users: hq, voicemail: hq }
`;

/** Each attack: the file's text, and what the refusal says. */
const ATTACKS: Record<string, { text: string; says: RegExp }> = {
  'an alias bomb (billion laughs)': {
    text: `${VALID}x-bomb:
  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]
`,
    says: /resource exhaustion|alias/i,
  },
  'a JavaScript function tag': {
    text: VALID.replace('name: Headquarters', 'name: !!js/function "function () { process.exit(7) }"'),
    says: /Unresolved tag/,
  },
  'a Python object tag': { text: `${VALID}x: !!python/object/apply:os.system ["touch /tmp/pwned"]\n`, says: /Unresolved tag/ },
  'a custom local tag': { text: VALID.replace('name: Headquarters', 'name: !exec id'), says: /Unresolved tag/ },
  '__proto__ at the top': { text: `${VALID}__proto__: { polluted: true }\n`, says: /Unrecognized key: "__proto__"/ },
  '__proto__ in a node': {
    text: VALID.replace('name: HQ primary,', 'name: HQ primary, __proto__: { polluted: true },'),
    says: /headquarters\.primary.*__proto__/,
  },
  'constructor.prototype': { text: `${VALID}constructor: { prototype: { polluted: true } }\n`, says: /Unrecognized key: "constructor"/ },
  'a merge key': { text: `${VALID}x: &x { polluted: true }\nmonitor2: { <<: *x }\n`, says: /Unrecognized key/ },
  'a duplicate key': { text: `${VALID}sites: []\n`, says: /unique|duplicate/i },
};

describe('a config file written by an attacker', () => {
  it('is refused by the parser, with nothing added to Object.prototype', () => {
    for (const [name, attack] of Object.entries(ATTACKS)) {
      const result = parseConfigText(attack.text);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), name).toMatch(attack.says);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is refused by hqwatch check-config, exit 2, within seconds', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-config-injection-'));
    try {
      for (const [name, attack] of Object.entries(ATTACKS)) {
        const file = path.join(dir, 'attack.yaml');
        writeFileSync(file, attack.text);
        const started = Date.now();
        const run = spawnSync(process.execPath, ['bin/hqwatch.mjs', 'check-config', file], {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(run.status, `${name}: ${run.stderr}`).toBe(2);
        expect(`${run.stdout}${run.stderr}`, name).toMatch(attack.says);
        expect(Date.now() - started, name).toBeLessThan(15_000);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('a running serve whose config file is replaced by an attacker', () => {
  let child: ChildProcess;
  let dir: string;
  let file: string;
  let base = '';
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-config-reload-'));
    file = path.join(dir, 'hqwatch.yaml');
    writeFileSync(file, VALID);
    child = spawn(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', file, '--port', '0', '--data', path.join(dir, 'data')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' },
    });
    child.stderr!.on('data', (c: Buffer) => lines.push(c.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (/"msg":"hqwatch listening"/.test(line)) base = (JSON.parse(line) as { url: string }).url;
    });
    await until(() => base !== '', 30_000, 'serve to listen');
  }, 60_000);
  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps running on its config through every attack, and still takes a good file', async () => {
    const refusals = () => lines.filter((l) => l.includes('config refused; keeping the running config')).length;
    for (const [name, attack] of Object.entries(ATTACKS)) {
      const before = refusals();
      writeFileSync(file, attack.text);
      await until(() => refusals() > before, 10_000, `the refusal of ${name}`);
      const state = await rawRequest(base, '/api/state');
      expect(state.status, name).toBe(200);
      expect(
        JSON.parse(state.body).sites.map((s: { name: string }) => s.name),
        name,
      ).toEqual(['Headquarters']);
    }
    expect(child.exitCode).toBeNull();
    writeFileSync(file, VALID.replace('name: Headquarters', 'name: Head office'));
    await until(
      async () => JSON.parse((await rawRequest(base, '/api/state')).body).sites[0].name === 'Head office',
      10_000,
      'the good file',
    );
  }, 120_000);
});
