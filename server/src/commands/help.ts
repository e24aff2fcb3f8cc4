/** One command's help: its synopsis lines, what it does, and its options. */
interface CommandHelp {
  usage: string[];
  summary: string;
  options?: [flag: string, what: string][];
  notes?: string[];
}

const ACCOUNT_STORE: [string, string][] = [
  ['--config FILE', 'the store that config names (SQLite or PostgreSQL); its `store:` key'],
  ['--data DIR', 'the data directory of a SQLite store (default ./data)'],
];

/** Every command `hqwatch` takes, in the order `hqwatch help` lists them. */
export const COMMANDS: Record<string, CommandHelp> = {
  serve: {
    usage: ['hqwatch serve --config FILE [--port N] [--host ADDR] [--data DIR] [--role web]'],
    summary: 'Monitor a real system: probe the HQ pair and the distributed servers, keep the history, serve the dashboard and the API.',
    options: [
      ['--config, -c FILE', 'the YAML config (see examples/hqwatch.example.yaml)'],
      ['--port, -p N', 'the HTTP port (default 8080)'],
      ['--host ADDR', 'the address to listen on (default 127.0.0.1, or http.host)'],
      ['--data DIR', 'where the SQLite history lives (default ./data)'],
      [
        '--role web',
        'serve dashboards only, no probing: a web node of a pair on a shared PostgreSQL store (README, "Running more than one")',
      ],
    ],
    notes: [
      'The config is reloaded on SIGHUP and whenever the file changes.',
      'Environment: HQWATCH_OPERATOR_TOKEN (an operator token), HQWATCH_STATUSDB_PASSWORD, HQWATCH_LOG_LEVEL=debug|info|warn.',
      'Exit codes: 2 a refused config; 65/69/74/75/78 a database corrupt, unreachable, unreadable, held by another hqwatch, or newer.',
    ],
  },
  'check-config': {
    usage: ['hqwatch check-config FILE'],
    summary: 'Validate a config file: exit 0 (with any warnings), or exit 2 with every error as `path: message`.',
  },
  'config-schema': {
    usage: ['hqwatch config-schema'],
    summary:
      "Print the config file's JSON Schema (draft 2020-12), generated from the validator; for editors " +
      '(`# yaml-language-server: $schema=./hqwatch.schema.json`). check-config still checks what a schema cannot.',
  },
  demo: {
    usage: [
      'hqwatch demo [--port N] [--host ADDR] [--speed N] [--data DIR] [--scenario NAME|none] [--octet N]',
      '             [--control-port N] [--interval D] [--fail-after N] [--status-db URL] [--notify URL|none] [--login-required]',
      '             [--topology demo|largest]',
    ],
    summary: 'The monitor watching a built-in simulated lab that plays a failover and a failback in a loop (what `npm start` runs).',
    options: [
      ['--port, -p N', 'the dashboard port (default 8080)'],
      ['--speed N', 'how much faster than real time the scenario plays'],
      ['--data DIR', 'the demo history (default ./data/demo)'],
      ['--scenario NAME|none', 'the scenario to loop, or none to drive the lab by hand'],
      ['--octet N', 'the second octet of the lab loopback addresses (127.N.x.y)'],
      ['--control-port N', "the lab's control API port (default 8090)"],
      ['--interval D', 'the probe interval, e.g. 500ms'],
      ['--fail-after N', 'failing rounds before a node is declared down'],
      ['--status-db URL', 'mysql://USER@HOST:PORT/DATABASE: a status database the lab drives and the demo reads'],
      ['--notify URL|none', 'where alerts go (default a webhook on 127.0.0.1:9099)'],
      ['--login-required', 'reading needs a login too, as with serve'],
      ['--topology demo|largest', 'the lab: 12 sites (default), or the largest system (HQ pair, 20 DVS, 500 sites)'],
    ],
  },
  lab: {
    usage: ['hqwatch lab [--scenario NAME|FILE] [--speed N] [--control-port N] [--status-db URL]'],
    summary: 'Only the simulated ShoreWare servers on loopback addresses, with their control API on 127.0.0.1.',
    options: [
      ['--scenario NAME|FILE', 'a built-in scenario or a scenario file'],
      ['--speed N', 'how much faster than real time it plays'],
      ['--control-port N', 'the control API port (default 8090)'],
      ['--status-db URL', 'mysql://USER@HOST:PORT/DATABASE: a ShoreWare status database to create and drive'],
    ],
  },
  notify: {
    usage: ['hqwatch notify test CHANNEL --config FILE', 'hqwatch notify receive [--port 9099] [--host ADDR] [--secret S]'],
    summary: 'Send a test alert on one channel and say how it went; or run a webhook receiver that prints each alert.',
    options: [
      ['--config FILE', 'the config whose notify.channels holds CHANNEL'],
      ['--port N', 'the receiver port (default 9099)'],
      ['--host ADDR', 'the receiver address (default 127.0.0.1)'],
      ['--secret S', 'check each alert signature with this secret'],
    ],
  },
  maintenance: {
    usage: [
      'hqwatch maintenance add --reason TEXT (--to TIME | --duration 30m) [--from TIME]',
      'hqwatch maintenance list',
      'hqwatch maintenance remove ID',
    ],
    summary: 'Planned maintenance windows on a running server: alerts are muted and availability can leave them out.',
    options: [
      ['--url URL', 'the running server (default http://127.0.0.1:8080)'],
      ['--token T', 'an operator token (default HQWATCH_OPERATOR_TOKEN)'],
    ],
  },
  user: {
    usage: [
      'hqwatch user add NAME --role viewer|operator|admin [--password-stdin]',
      'hqwatch user passwd NAME [--password-stdin]',
      'hqwatch user role NAME --role viewer|operator|admin',
      'hqwatch user remove NAME',
      'hqwatch user list',
    ],
    summary: 'Local users in the history store; a change of password or role, or a removal, ends that user’s sessions.',
    options: [
      ['--role R', 'viewer, operator or admin'],
      ['--password-stdin', 'read the password from standard input instead of asking on the terminal'],
      ...ACCOUNT_STORE,
    ],
  },
  kiosk: {
    usage: ['hqwatch kiosk add NAME [--url BASE]', 'hqwatch kiosk list', 'hqwatch kiosk revoke NAME'],
    summary: "Wall displays: add prints the display's link once (BASE/wall?token=…); revoke drops its wall to the sign-in screen.",
    options: [['--url BASE', 'the address walls open, for the printed link'], ...ACCOUNT_STORE],
  },
  help: { usage: ['hqwatch help [COMMAND]', 'hqwatch COMMAND --help'], summary: 'This list, or the help of one command.' },
  version: { usage: ['hqwatch --version'], summary: 'The version of hqwatch and of the Node.js running it.' },
};

/** `hqwatch help COMMAND`: the command's usage, what it does and its options; null for an unknown command. */
export function commandHelp(name: string): string | null {
  const help = Object.hasOwn(COMMANDS, name) ? COMMANDS[name]! : null;
  if (!help) return null;
  const width = Math.max(0, ...(help.options ?? []).map(([flag]) => flag.length));
  return [
    `Usage: ${help.usage[0]}`,
    ...help.usage.slice(1).map((line) => `       ${line}`),
    '',
    help.summary,
    ...(help.options ? ['', 'Options:', ...help.options.map(([flag, what]) => `  ${flag.padEnd(width)}  ${what}`)] : []),
    ...(help.notes ? ['', ...help.notes] : []),
    '',
  ].join('\n');
}

/** `hqwatch help`: every command's synopsis and summary. */
export function overviewHelp(): string {
  const lines = Object.values(COMMANDS).flatMap((help) => [...help.usage.map((u) => `  ${u}`), `      ${help.summary}`]);
  return ['Usage:', ...lines, '', 'hqwatch help COMMAND shows the options of one command.', ''].join('\n');
}
