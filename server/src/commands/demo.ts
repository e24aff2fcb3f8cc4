import { randomBytes } from 'node:crypto';
import { validateConfig } from '@hqwatch/shared';
import type { HqwatchApp } from '../app.ts';
import type { Logger } from '../logger.ts';
import { createLogger } from '../logger.ts';
import { labConfig, resolveScenario, startDemoLab } from '../lab/index.ts';
import { DEFAULT_HOST, listeningUrl, startMonitor, stopOnSignals } from './serve.ts';

export interface DemoOptions {
  port: number;
  host?: string;
  dataDir: string;
  clientDir: string;
  speed?: number;
  /** Second octet of the lab's loopback addresses; 0 gives 127.0.1.10, 127.0.2.10, … */
  octet?: number;
  controlPort?: number;
  /** `none` leaves the lab idle (tests drive it); another name plays that scenario instead. */
  scenario?: string;
  intervalMs?: number;
  failAfter?: number;
  /** A database on this machine the lab creates and drives as ShoreWare's status database; the monitor reads it. */
  statusDb?: string;
  /** Reading needs a login too, as with `serve` (to try the login page and kiosk displays). */
  loginRequired?: boolean;
  /** Where the demo's webhook alerts go (`none`: no alerts); DEMO_WEBHOOK by default. */
  notify?: string;
}

/** The demo's logins: the operator's to annotate, the admin's for users and kiosk displays. */
const DEMO_LOGINS = [
  { name: 'operator', role: 'operator' },
  { name: 'admin', role: 'admin' },
] as const;

/**
 * Sets the demo's logins with new random passwords and prints them. New each run rather than fixed:
 * a demo started with `--host 0.0.0.0`, or whose data directory is copied, never carries a password
 * everyone knows from the README.
 */
async function demoLogins(app: HqwatchApp, log: Logger): Promise<void> {
  const admin = app.auth.admin;
  if (!admin) return;
  const logins = DEMO_LOGINS.map((l) => ({ ...l, password: randomBytes(9).toString('base64url') }));
  for (const login of logins) await admin.putUser(login.name, login.role, login.password);
  log.info({ logins }, `demo logins (new passwords each run): ${logins.map((l) => `${l.name} / ${l.password} (${l.role})`).join(', ')}`);
}

/** The demo's alerts: a webhook on this machine, where `hqwatch notify receive` listens by default. */
export const DEMO_WEBHOOK = { url: 'http://127.0.0.1:9099/hook', secret: 'hqwatch-demo-secret' };

/** The demo's `notify:` section: one webhook, every event, short retries so a missing receiver shows soon. */
function demoNotify(url: string): Record<string, unknown> {
  return {
    channels: [{ id: 'demo-webhook', kind: 'webhook', url, secret: DEMO_WEBHOOK.secret, timeout: '2s' }],
    routes: [{ channels: ['demo-webhook'] }],
    delivery: { firstRetry: '1s', maxRetry: '10s', deadline: '2m' },
  };
}

/**
 * `hqwatch demo` (what `npm start` runs): the simulated lab and the monitor watching it, with the
 * failover-failback scenario looping so a newcomer sees a whole cycle within a minute.
 */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const log = createLogger();
  let demo;
  try {
    demo = await startDemoLab({
      octet: opts.octet,
      controlPort: opts.controlPort,
      speed: opts.speed,
      log,
      autoplay: false,
      statusDb: opts.statusDb,
      statusDbPassword: process.env.HQWATCH_STATUSDB_PASSWORD ?? '',
    });
  } catch (err) {
    if (!(opts.statusDb && err instanceof Error && err.message.startsWith('--status-db'))) throw err;
    process.stderr.write(`hqwatch: ${err.message}\n`);
    return 2;
  }
  const settings = {
    ...demo.settings,
    ...(opts.intervalMs ? { intervalMs: opts.intervalMs, timeoutMs: Math.round(opts.intervalMs * 0.8) } : {}),
  };
  if (opts.failAfter) settings.failAfter = opts.failAfter;
  if (opts.loginRequired) settings.loginRequired = true;
  const notifyUrl = opts.notify ?? DEMO_WEBHOOK.url;
  const checked = validateConfig({
    ...labConfig(demo.lab.topology, demo.lab, settings),
    ...(notifyUrl !== 'none' && { notify: demoNotify(notifyUrl) }),
  });
  if (!checked.ok) {
    await demo.close();
    for (const e of checked.errors) process.stderr.write(`demo config: ${e.path}: ${e.message}\n`);
    return 1;
  }
  const app = await startMonitor(checked.config, {
    port: opts.port,
    // The demo is for this machine: its lab and control API are loopback-only too.
    host: opts.host ?? DEFAULT_HOST,
    dataDir: opts.dataDir,
    clientDir: opts.clientDir,
    log,
  });
  if (typeof app === 'number') {
    await demo.close();
    return app;
  }
  await demoLogins(app, log);
  log.info({ url: demo.control.url }, 'lab control API');
  const scenario = opts.scenario ?? 'default';
  if (scenario === 'default') demo.play();
  else if (scenario !== 'none') {
    const loaded = await resolveScenario(scenario, demo.lab.topology);
    if (!loaded.ok) {
      for (const e of loaded.errors) process.stderr.write(`${e.path}: ${e.message}\n`);
      await app.close();
      await demo.close();
      return 2;
    }
    demo.player.play(loaded.scenario, { speed: opts.speed });
  }
  const bound = app.server.address();
  const dashboard = bound && typeof bound === 'object' ? listeningUrl(bound, false) : `http://${DEFAULT_HOST}:${opts.port}`;
  log.info({ speed: demo.speed, dashboard, statusPage: `${dashboard}/status` }, 'demo running: failover and failback loop');
  if (notifyUrl !== 'none')
    log.info(
      {
        webhook: notifyUrl,
        secret: DEMO_WEBHOOK.secret,
        receiver: `npx hqwatch notify receive --port ${new URL(notifyUrl).port || 80} --secret ${DEMO_WEBHOOK.secret}`,
      },
      `alerts: every trigger, update and resolve is POSTed to ${notifyUrl}; run the receiver command in another terminal to watch them`,
    );
  stopOnSignals(async () => {
    await app.close();
    await demo.close();
  }, log);
  return -1;
}
