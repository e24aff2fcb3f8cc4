import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hqwatch(...args: string[]) {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/hqwatch.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const VALID = `
headquarters:
  primary: { name: HQ primary, address: 127.0.1.10, probes: [ { kind: tcp, port: 4308 } ] }
  secondary: { name: HQ secondary, address: 127.0.2.10, probes: [ { kind: tcp, port: 4308 } ] }
servers:
  - { id: dvs-boston, name: Boston DVS, address: 127.0.3.10, drs: true, probes: [ { kind: sip, port: 5441 } ] }
drs: { enabled: true }
sites:
  - { id: hq, name: Headquarters, users: hq, voicemail: hq, drs: [hq], userCount: 400 }
  - { id: boston, name: Boston, users: dvs-boston, voicemail: dvs-boston, drs: [dvs-boston, hq] }
`;

describe('hqwatch check-config', () => {
  it('exits 0 on a valid file', () => {
    const res = hqwatch('check-config', file('valid.yaml', VALID));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('ok');
  });

  it('warns, with exit 0, of an HQ server without a host-level probe, saying what to add', () => {
    const res = hqwatch('check-config', file('no-host-probe.yaml', VALID));
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/: ok \(3 nodes, 2 sites, 3 probes\), 2 warnings$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^headquarters\.primary\.probes: no host-level probe \(role: host\): .*Add \{ kind: icmp \}.*\{ kind: tcp, port: 135, role: host \}/,
      ),
      expect.stringMatching(/^headquarters\.secondary\.probes: no host-level probe/),
    ]);
    const withHost = VALID.replace(
      /probes: \[ \{ kind: tcp, port: 4308 \} \]/g,
      'probes: [ { kind: tcp, port: 4308 }, { kind: tcp, port: 135, role: host } ]',
    );
    const quiet = hqwatch('check-config', file('host-probes.yaml', withHost));
    expect(quiet.code).toBe(0);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(1);
    expect(quiet.stdout).not.toMatch(/warning/);
  });

  it('refuses bad timing and bad hosts a new user writes, every one with its path', () => {
    const bad =
      VALID.replace('address: 127.0.2.10', 'address: "not a host!"').replace(
        '{ kind: tcp, port: 4308 } ] }\n  secondary',
        '{ kind: tcp, port: 4308, timeout: 0s } ] }\n  secondary',
      ) + 'monitor: { interval: 2s, timeout: 2s, expectedWindow: { min: 0s } }\n';
    const res = hqwatch('check-config', file('bad-timing.yaml', bad));
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n').sort()).toEqual(
      [
        'headquarters.primary.probes[0].timeout: must be longer than 0',
        'headquarters.secondary.address: "not a host!" is not an IPv4 or IPv6 address or a host name',
        'monitor.expectedWindow.min: must be longer than 0',
        'monitor.timeout: must be shorter than monitor.interval (2s): a probe still running would overlap the next round',
      ].sort(),
    );
  });

  it('prints every error as path: message and exits 2', () => {
    const bad = VALID.replace('users: dvs-boston', 'users: dvs-nowhere').replace('interval', 'x') + 'monitor: { interval: 2x, bogus: 1 }\n';
    const res = hqwatch('check-config', file('bad.yaml', bad));
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^monitor\.interval: .*2x/),
        expect.stringMatching(/^monitor: .*bogus/),
        expect.stringMatching(/^sites\[1\]\.users: unknown server "dvs-nowhere"/),
      ]),
    );
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'nope.yaml'), /no such file/],
    ['an empty file', () => file('empty.yaml', '  \n'), /empty/],
    ['invalid YAML', () => file('broken.yaml', 'headquarters: [\n  primary: {'), /invalid YAML/],
    ['a directory', () => dir, /directory/],
  ])('gives one clear line and exit 2 for %s', (_name, make, message) => {
    const res = hqwatch('check-config', make());
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives one clear line for an unreadable file', () => {
    if (process.getuid?.() === 0) {
      // root reads any file; an unreadable path is emulated by a file behind a non-directory.
      const res = hqwatch('check-config', path.join(file('plain.txt', 'x'), 'config.yaml'));
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      return;
    }
    const p = file('secret.yaml', VALID);
    chmodSync(p, 0o000);
    const res = hqwatch('check-config', p);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/permission denied/);
  });

  it('serve refuses to start on a bad config the same way', () => {
    const res = hqwatch('serve', '--config', file('bad2.yaml', 'headquarters: {}\n'), '--port', '0');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/headquarters\.primary/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the example configuration', () => {
  it('is valid', () => {
    const res = hqwatch('check-config', path.join(ROOT, 'examples/hqwatch.example.yaml'));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    // It shows the host-level probes it recommends.
    expect(res.stdout).not.toMatch(/warning/);
  });
});
