// Path traversal through the static file server. Loopback octet 29 (scripted probes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { rawRequest } from './support.ts';

const SECRET = `secret-${Math.random().toString(36).slice(2)}`;
const INDEX = '<!doctype html><title>hqwatch</title>';

let t: TestApp;
let dir: string;
let secretFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-traversal-'));
  const clientDir = path.join(dir, 'dist');
  mkdirSync(path.join(clientDir, 'assets'), { recursive: true });
  writeFileSync(path.join(clientDir, 'index.html'), INDEX);
  writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log(1)');
  secretFile = path.join(dir, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  writeFileSync(path.join(dir, 'hqwatch.yaml'), `auth: { operatorTokens: [${SECRET}] }`);
  t = await startTestApp(testConfig(29), { runProbe: scriptedProbes().run, clientDir });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the static files', () => {
  const attempts = () => [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    // Double encoding: decoded once by the server, a second time by nobody.
    '/%252e%252e%252fsecret.txt',
    '/assets/%252e%252e%252f%252e%252e%252fsecret.txt',
    // Backslashes, as Windows paths.
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    // NUL bytes, raw and encoded.
    '/secret.txt%00',
    '/index.html%00.js',
    '/..%00/secret.txt',
    '/assets/app.js%00../../secret.txt',
    // Absolute paths.
    `/${secretFile}`,
    `/${encodeURIComponent(secretFile)}`,
    `//${secretFile}`,
    '/%2fetc%2fpasswd',
    '//etc/passwd',
    '/etc/passwd',
    '/../hqwatch.yaml',
    '/%2e%2e/hqwatch.yaml',
  ];

  it('never serves a file outside the client directory, single or double encoded, with NUL or absolute', async () => {
    for (const attempt of attempts()) {
      const res = await rawRequest(t.url, attempt);
      expect(res.body, attempt).not.toContain(SECRET);
      expect(res.body, attempt).not.toContain('root:');
      // Refused, not found, or the dashboard's own index page for a client route.
      if (res.status === 200) expect(res.body, attempt).toBe(INDEX);
      else expect([400, 403, 404], attempt).toContain(res.status);
    }
  });

  it('still serves its own files', async () => {
    expect((await rawRequest(t.url, '/assets/app.js')).body).toBe('console.log(1)');
    expect((await rawRequest(t.url, '/incidents/42')).body).toBe(INDEX);
  });
});
