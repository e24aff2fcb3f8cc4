import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig, type HqwatchConfig } from '@hqwatch/shared';
import { createApp, type HqwatchApp } from '../../src/app.ts';
import { labConfig, smallTopology, startLab, type Lab, type LabMonitorSettings } from '../../src/lab/index.ts';
import { createLogger } from '../../src/logger.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { fakeSelfHealth } from './app.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests';

/** Requests to the app at `url`, JSON bodies typed as such, with the operator's token where asked (`operator: true`). */
export function operatorApi(url: string, token: string) {
  return (pathname: string, init: RequestInit & { operator?: boolean } = {}): Promise<Response> => {
    const { operator, headers, ...rest } = init;
    return fetch(`${url}${pathname}`, {
      ...rest,
      headers: {
        ...(operator && { authorization: `Bearer ${token}` }),
        ...(rest.body && { 'content-type': 'application/json' }),
        ...headers,
      },
    });
  };
}

export interface NotifyApp {
  lab: Lab;
  app: HqwatchApp;
  store: Store;
  config: HqwatchConfig;
  url: string;
  /** fetch against the app, with the operator token when `operator` is set. */
  api(pathname: string, init?: RequestInit & { operator?: boolean }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real app (real monitor and probes) with a SQLite store in a temporary directory, watching a
 * real lab on its own loopback octet, with `notify` (and anything else) merged into its config.
 */
export async function startNotifyApp(
  octet: number,
  extra: Record<string, unknown>,
  settings: Partial<LabMonitorSettings> = {},
  env: Record<string, string> = {},
): Promise<NotifyApp> {
  const topology = smallTopology(octet);
  const lab = await startLab(topology);
  const raw = labConfig(topology, lab, {
    intervalMs: 250,
    timeoutMs: 200,
    failAfter: 2,
    recoverAfter: 2,
    expectedWindow: { minMs: 5_000, maxMs: 60_000 },
    ...settings,
  });
  // Anyone reads, as before accounts (these tests are about alerts); the token is the operator.
  const checked = validateConfig({ ...raw, auth: { anonymous: 'viewer', operatorTokens: [OPERATOR_TOKEN] }, ...extra });
  if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const config = checked.config;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-notify-'));
  const store = await openStore({ kind: 'sqlite', dataDir, checkpointIntervalMs: 60_000, retentionDays: 90 });
  const app = createApp({ config, log: createLogger('silent'), store, selfHealth: fakeSelfHealth(), env });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    lab,
    app,
    store,
    config,
    url,
    api: operatorApi(url, OPERATOR_TOKEN),
    async close() {
      await app.close();
      await lab.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
