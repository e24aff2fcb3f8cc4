/**
 * `npm run bench [-- --only NAME[,NAME]] [--soak MINUTES] [--wall-soak MINUTES] [--quick] [--readme]`: runs the benchmarks, each in
 * its own process, prints a table, writes bench-results.json and regenerates the README's
 * Performance section. Exits 0 whatever the figures.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, type Message } from './lib/child.ts';
import { describeMachine, loadAverage, machineLine } from './lib/machine.ts';
import { loadResults, saveResults, type BenchRecord, type ResultsFile } from './lib/results.ts';
import { printTable } from './lib/table.ts';
import { updateReadme } from './readme.ts';
import { SUITES } from './suites/index.ts';
import type { Suite, SuiteOptions, SuiteOutput } from './suites/suite.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = `${root}bench-results.json`;
const README = `${root}README.md`;

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      soak: { type: 'string' },
      'wall-soak': { type: 'string' },
      quick: { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
    },
  });
  const only =
    values.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? null;
  const unknown = only?.filter((name) => !SUITES.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
  const minutes = (flag: string, value: string | undefined): number | null => {
    if (value === undefined) return null;
    const n = Number(value);
    if (!(n > 0)) throw new Error(`--${flag} takes minutes above 0, got ${value}`);
    return n;
  };
  const soakMinutes = minutes('soak', values.soak);
  const wallSoakMinutes = minutes('wall-soak', values['wall-soak']);
  // The soak runs only when asked for; --soak adds it to whatever else is selected.
  const selected = SUITES.filter((s) => (s.name === 'soak' ? soakMinutes !== null : only === null || only.includes(s.name)));
  return { selected, quick: values.quick, soakMinutes, wallSoakMinutes, readmeOnly: values.readme };
}

async function runOne(suite: Suite, opts: Omit<SuiteOptions, 'log'>): Promise<BenchRecord> {
  const started = performance.now();
  const load = { before: loadAverage(), after: 0 };
  const record = (status: BenchRecord['status'], output: SuiteOutput | null, reason?: string): BenchRecord => ({
    name: suite.name,
    title: suite.title,
    status,
    ...(reason !== undefined && { reason }),
    date: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 1000),
    load: { ...load, after: loadAverage() },
    machine: machineLine(describeMachine()),
    figures: output?.figures ?? [],
    notes: output?.notes ?? [],
  });
  if (!existsSync(`${root}${suite.source}`)) return record('skipped', null, `${suite.source} is not in this tree yet`);

  console.log(`\n▶ ${suite.name}: ${suite.title}`);
  const child = startChild(fileURLToPath(new URL('./lib/suite-child.ts', import.meta.url)), { args: [suite.name, JSON.stringify(opts)] });
  const timeoutMs = suite.timeoutMinutes({ ...opts, log: () => undefined }) * 60_000;
  try {
    const message = await Promise.race([
      child.next<Message & { output: SuiteOutput }>('result', timeoutMs),
      child.next('failed', timeoutMs),
    ]);
    if (message.type === 'failed') return record('failed', null, String(message.error).split('\n')[0]);
    return record('ok', (message as Message & { output: SuiteOutput }).output);
  } catch (err) {
    return record('failed', null, err instanceof Error ? err.message : String(err));
  } finally {
    await child.stop(10_000);
  }
}

async function main(): Promise<void> {
  const { selected, quick, soakMinutes, wallSoakMinutes, readmeOnly } = options();
  if (readmeOnly) {
    const results = loadResults(RESULTS);
    if (!results) throw new Error('no bench-results.json to render: run `npm run bench` first');
    updateReadme(README, results);
    console.log("regenerated the README's Performance section from bench-results.json");
    return;
  }
  const machine = describeMachine();
  console.log(`hqwatch benchmarks on ${machineLine(machine)}: ${selected.map((s) => s.name).join(', ')}${quick ? ' (quick)' : ''}`);
  const records: BenchRecord[] = [];
  for (const suite of selected) {
    const record = await runOne(suite, { quick, soakMinutes, wallSoakMinutes });
    if (record.status !== 'ok') console.log(`  ${suite.name}: ${record.status} — ${record.reason}`);
    records.push(record);
  }
  console.log('');
  printTable(records);
  for (const record of records) for (const note of record.notes) console.log(`${record.name}: ${note}`);
  if (quick) {
    console.log('\n--quick: bench-results.json and the README are left as they were.');
    return;
  }
  const results: ResultsFile = {
    machine,
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    benches: records,
  };
  const merged = saveResults(
    RESULTS,
    results,
    SUITES.map((s) => s.name),
  );
  updateReadme(README, merged);
  console.log(`\nwrote bench-results.json and the README's Performance section`);
}

main()
  .catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  })
  .finally(() => process.exit());
