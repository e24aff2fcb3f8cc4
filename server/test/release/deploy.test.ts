// docs/deploy: the Dockerfile and the systemd unit, checked as far as this machine allows. hadolint
// lints the Dockerfile where it is installed and Docker builds it only where a Docker engine answers
// and HQWATCH_DOCKER_BUILD=1 (a build takes minutes); otherwise each says why it is skipped. What is
// always checked: the Dockerfile's shape (multi-stage, non-root, HEALTHCHECK, data volume), its health
// command run against a real server, and the unit through `systemd-analyze verify` when present.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEPLOY = path.join(ROOT, 'docs/deploy');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

describe('the Dockerfile', () => {
  const text = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
  const all = instructions(text);
  const lastFrom = all.map((i) => i.op).lastIndexOf('FROM');
  const final = all.slice(lastFrom);
  const one = (op: string) => final.filter((i) => i.op === op);

  it('builds in one stage and runs in another, from the packed package only', () => {
    const froms = all.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms[0]!.args).toMatch(/ AS build$/i);
    const copies = final.filter((i) => i.op === 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args, 'the final stage takes only what the build stage packed').toMatch(/^--from=build /);
    // Every file the build stage copies by name exists.
    for (const copy of all.slice(0, lastFrom).filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
    }
    const ignore = readFileSync(path.join(DEPLOY, 'Dockerfile.dockerignore'), 'utf8');
    expect(ignore).toMatch(/^\*\*\/node_modules$/m);
  });

  it('runs as a user that is not root, keeps its data in a volume, and serves on the port it exposes and checks', () => {
    const users = one('USER');
    expect(users.length).toBe(1);
    expect(users[0]!.args).not.toMatch(/^(root|0)(:|$)/);
    const volume = one('VOLUME')[0]!.args;
    const cmd = JSON.parse(one('CMD')[0]!.args) as string[];
    expect(JSON.parse(one('ENTRYPOINT')[0]!.args)).toEqual(['hqwatch']);
    expect(cmd[0]).toBe('serve');
    expect(volume).toContain(cmd[cmd.indexOf('--data') + 1]!);
    const port = cmd[cmd.indexOf('--port') + 1]!;
    expect(one('EXPOSE')[0]!.args).toBe(port);
    expect(cmd[cmd.indexOf('--host') + 1]).toBe('0.0.0.0');
    expect(one('HEALTHCHECK')[0]!.args).toContain(`http://127.0.0.1:${port}/api/live`);
  });

  it('has a HEALTHCHECK command that passes on a live server, with a login required, and fails when nothing answers', async () => {
    const check = JSON.parse(one('HEALTHCHECK')[0]!.args.replace(/^.*?CMD /, '')) as string[];
    expect(check[0]).toBe('node');
    const t = await startTestApp(testConfig(156, { auth: {} }), { runProbe: scriptedProbes({ '127.156.2.10': false }).run });
    const port = new URL(t.url).port;
    try {
      // Run as Docker would, beside the server (asynchronously: the server answers from this process).
      const run = (p: string) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(
            process.execPath,
            check.slice(1).map((a) => a.replace(':8080/', `:${p}/`)),
            { stdio: 'ignore', timeout: 20_000 },
          );
          child.on('exit', (code) => resolve(code));
        });
      expect((await fetch(`${t.url}/api/health`)).status).toBe(401);
      expect(await run(port)).toBe(0);
      await t.close();
      expect(await run(port)).toBe(1);
    } finally {
      await t.close().catch(() => {});
    }
  });

  it.skipIf(!has('hadolint'))('passes hadolint', () => {
    execFileSync('hadolint', [path.join(DEPLOY, 'Dockerfile')], { stdio: 'pipe' });
  });
  if (!has('hadolint')) console.log('deploy.test: hadolint is not installed here; the Dockerfile is not linted by it');

  const dockerUp = has('docker') && spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  const build = dockerUp && process.env.HQWATCH_DOCKER_BUILD === '1';
  if (!build)
    console.log(
      `deploy.test: the image is not built (${dockerUp ? 'set HQWATCH_DOCKER_BUILD=1 to build it' : 'no Docker engine answers here'})`,
    );
  it.skipIf(!build)(
    'builds',
    () => {
      execFileSync('docker', ['build', '-f', 'docs/deploy/Dockerfile', '-t', 'hqwatch:test', '.'], { cwd: ROOT, stdio: 'pipe' });
    },
    900_000,
  );
});

describe('the systemd unit', () => {
  const unit = readFileSync(path.join(DEPLOY, 'hqwatch.service'), 'utf8');
  const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];

  it('runs serve as its own user, with state and config directories, reloads on HUP and stops on TERM', () => {
    expect(value('User')).toBe('hqwatch');
    const exec = value('ExecStart')!.split(/\s+/);
    expect(exec.slice(1)).toEqual(['serve', '--config', '/etc/hqwatch/hqwatch.yaml', '--data', '/var/lib/hqwatch']);
    expect(value('StateDirectory')).toBe('hqwatch');
    expect(value('ConfigurationDirectory')).toBe('hqwatch');
    expect(value('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(value('KillSignal')).toBe('SIGTERM');
    expect(value('NoNewPrivileges')).toBe('yes');
    expect(value('ProtectSystem')).toBe('strict');
    // Exit codes a restart does not mend: the README's refused config, corrupt and newer database.
    expect(value('RestartPreventExitStatus')!.split(' ')).toEqual(['2', '65', '78']);
  });

  if (!has('systemd-analyze')) console.log('deploy.test: systemd-analyze is not installed here; the unit is not verified by it');
  it.skipIf(!has('systemd-analyze'))('passes systemd-analyze verify, without a warning', () => {
    // verify checks that ExecStart's program exists: this machine's node stands in for the installed hqwatch.
    const file = path.join(dir, 'hqwatch.service');
    writeFileSync(file, unit.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
    const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
