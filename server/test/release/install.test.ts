// `npm pack` makes a package that runs without the dev toolchain: packed (after `npm run build`,
// as `npm test` does first), installed into an empty folder without the network, and run there —
// --version, check-config on the example, and serve answering over HTTP. Loopback octet 155
// (nothing answers there: every node is down, which is all the same to these checks).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBuilds, lockFor } from './packed-install.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rootPkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const serverPkg = JSON.parse(readFileSync(path.join(ROOT, 'server/package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe("the package's manifest", () => {
  it("depends on exactly what the server bundle leaves as imports: the server's dependencies but its own workspaces", () => {
    const external = Object.fromEntries(Object.entries(serverPkg.dependencies).filter(([name]) => !name.startsWith('@hqwatch/')));
    expect(rootPkg.dependencies, 'copy server/package.json dependencies into package.json (and knip.jsonc)').toEqual(external);
  });
});

describe('npm pack, installed into an empty folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-pack-'));
  const app = path.join(dir, 'app');
  let bin = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    for (const built of ['server/dist/cli.mjs', 'client/dist/index.html'])
      if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }),
    ) as { filename: string; files: { path: string }[] }[];
    const tarball = path.join(dir, packed[0]!.filename);
    const files = packed[0]!.files.map((f) => f.path);
    // The bundle and the built client, never the sources.
    expect(files).toEqual(
      expect.arrayContaining(['bin/hqwatch.mjs', 'server/dist/cli.mjs', 'client/dist/index.html', 'examples/hqwatch.example.yaml']),
    );
    expect(files.filter((f) => /^(server|shared|client)\/src\/|\.ts$/.test(f))).toEqual([]);

    mkdirSync(app);
    const { lock, withScripts } = lockFor(ROOT, tarball);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, dependencies: { hqwatch: `file:${tarball}` } }),
    );
    writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lock));
    execFileSync('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
    copyBuilds(ROOT, app, withScripts);
    bin = path.join(app, 'node_modules/.bin/hqwatch');
  }, 110_000);

  it('holds no dev toolchain: no TypeScript, tsx, esbuild, vite or vitest', () => {
    for (const tool of ['typescript', 'tsx', 'esbuild', 'vite', 'vitest', '@hqwatch/shared'])
      expect(existsSync(path.join(app, 'node_modules', tool)), tool).toBe(false);
  });

  it('says its version and checks the example config', () => {
    expect(execFileSync(bin, ['--version'], { cwd: app, encoding: 'utf8' })).toBe(
      `hqwatch ${rootPkg.version} (Node.js ${process.version})\n`,
    );
    const example = path.join(app, 'node_modules/hqwatch/examples/hqwatch.example.yaml');
    expect(execFileSync(bin, ['check-config', example], { cwd: app, encoding: 'utf8' })).toMatch(/: ok \(/);
  });

  it('serves: the liveness route, the dashboard, and the API behind a login; stops cleanly on SIGTERM', async () => {
    const config = path.join(dir, 'hqwatch.yaml');
    const node = (n: number) => ({ name: `HQ ${n}`, address: `127.155.${n}.10`, probes: [{ kind: 'tcp', port: 4308, role: 'host' }] });
    writeFileSync(config, JSON.stringify({ headquarters: { primary: node(1), secondary: node(2) } }));
    const child = spawn(bin, ['serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', path.join(dir, 'data')], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let output = '';
    child.stderr.on('data', (c) => (output += String(c)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        output += String(chunk);
        const found = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found.replace('localhost', '127.0.0.1'));
        }
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}):\n${output}`)));
    });
    try {
      const live = await fetch(`${url}/api/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="app">/);
      expect((await fetch(`${url}/api/health`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  });
});
