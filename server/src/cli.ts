import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDuration } from '@hqwatch/shared';
import { runAccountsCommand } from './commands/accounts.ts';
import { runCheckConfig } from './commands/check-config.ts';
import { runConfigSchema } from './commands/config-schema.ts';
import { runDemo, type DemoOptions } from './commands/demo.ts';
import { commandHelp, COMMANDS, overviewHelp } from './commands/help.ts';
import { runLab } from './commands/lab.ts';
import { runMaintenance } from './commands/maintenance.ts';
import { runNotifyReceive, runNotifyTest } from './commands/notify.ts';
import { runServe } from './commands/serve.ts';
import { version } from './version.ts';

/** The built client, next to the server package. */
export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');

/** The command being run, for the help printed after a usage error. */
let current: string | undefined;

function fail(message: string): never {
  const help = (current && commandHelp(current)) ?? overviewHelp();
  process.stderr.write(`hqwatch: ${message}\n${help}`);
  process.exit(2);
}

/** `hqwatch help [COMMAND]`, `hqwatch COMMAND --help`: exit 0, or 2 for a command that does not exist. */
function help(name: string | undefined): number {
  if (name === undefined) {
    process.stdout.write(overviewHelp());
    return 0;
  }
  const text = commandHelp(name);
  if (text === null) {
    process.stderr.write(`hqwatch: no command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  process.stdout.write(text);
  return 0;
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a whole number from 0 to 65535, got "${value}"`);
  return n;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${value}"`);
  return n;
}

function durationOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) fail(`--${name} must be a duration such as 500ms or 2s, got "${value}"`);
  return ms;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  current = command;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`hqwatch ${version()} (Node.js ${process.version})\n`);
    return 0;
  }
  if (command === 'help' || command === '--help' || command === '-h') return help(rest.find((a) => !a.startsWith('-')));
  if (command !== undefined && (rest.includes('--help') || rest.includes('-h'))) return help(command);
  // Accounts take their own flags (--role, --password-stdin, --url).
  if (command === 'user' || command === 'kiosk') return runAccountsCommand(command, rest);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        data: { type: 'string' },
        speed: { type: 'string' },
        scenario: { type: 'string' },
        'control-port': { type: 'string' },
        octet: { type: 'string' },
        interval: { type: 'string' },
        'fail-after': { type: 'string' },
        'status-db': { type: 'string' },
        'login-required': { type: 'boolean' },
        secret: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        duration: { type: 'string' },
        reason: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        notify: { type: 'string' },
        topology: { type: 'string' },
        role: { type: 'string' },
      },
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (command === undefined) {
    process.stderr.write(overviewHelp());
    return 2;
  }
  switch (command) {
    case 'config-schema':
      return runConfigSchema();
    case 'check-config': {
      const file = positionals[0] ?? values.config;
      if (!file) fail('check-config needs a FILE');
      return runCheckConfig(file);
    }
    case 'serve':
      if (!values.config) fail('serve needs --config FILE');
      if (values.role !== undefined && values.role !== 'web') fail(`--role must be web (got "${values.role}")`);
      return runServe({
        role: values.role,
        configFile: values.config,
        port: intOption(values.port, 'port', 8080),
        host: values.host,
        dataDir: values.data ?? './data',
        clientDir: CLIENT_DIR,
      });
    case 'demo':
      return runDemo({
        port: intOption(values.port, 'port', 8080),
        host: values.host,
        dataDir: values.data ?? './data/demo',
        speed: numberOption(values.speed, 'speed'),
        clientDir: CLIENT_DIR,
        octet: values.octet === undefined ? undefined : intOption(values.octet, 'octet', 0),
        controlPort: intOption(values['control-port'], 'control-port', 8090),
        scenario: values.scenario,
        intervalMs: durationOption(values.interval, 'interval'),
        failAfter: values['fail-after'] === undefined ? undefined : intOption(values['fail-after'], 'fail-after', 3),
        statusDb: values['status-db'],
        loginRequired: values['login-required'],
        notify: values.notify,
        topology: values.topology as DemoOptions['topology'],
      });
    case 'lab':
      return runLab({
        scenario: values.scenario,
        speed: numberOption(values.speed, 'speed'),
        controlPort: intOption(values['control-port'], 'control-port', 8090),
        statusDb: values['status-db'],
      });
    case 'notify': {
      const [action, channel] = positionals;
      if (action === 'test') {
        if (!channel) fail('notify test needs a CHANNEL id');
        if (!values.config) fail('notify test needs --config FILE');
        return runNotifyTest({ configFile: values.config, channel });
      }
      if (action !== 'receive') fail(`notify needs test or receive${action ? `, not "${action}"` : ''}`);
      const receiver = await runNotifyReceive({
        host: values.host ?? '127.0.0.1',
        port: intOption(values.port, 'port', 9099),
        secret: values.secret,
      });
      if (typeof receiver === 'number') return receiver;
      process.once('SIGINT', () => void receiver.close().then(() => process.exit(0)));
      process.once('SIGTERM', () => void receiver.close().then(() => process.exit(0)));
      return -1;
    }
    case 'maintenance':
      return runMaintenance({
        action: positionals[0],
        id: positionals[1],
        url: values.url ?? 'http://127.0.0.1:8080',
        token: values.token ?? (process.env.HQWATCH_OPERATOR_TOKEN || undefined),
        from: values.from,
        to: values.to,
        duration: values.duration,
        reason: values.reason,
      });
    default:
      fail(`unknown command "${command}"`);
  }
}

const code = await main(process.argv.slice(2));
// Long-running commands resolve with -1 and keep the process alive until a signal.
if (code >= 0) process.exit(code);
