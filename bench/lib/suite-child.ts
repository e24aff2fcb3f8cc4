/**
 * Runs one benchmark of the suite in this process: `suite-child.ts NAME OPTIONS_JSON`. Sends
 * `{ type: 'result', output }` or `{ type: 'failed', error }` to the parent, then exits.
 */
import { suiteNamed } from '../suites/index.ts';
import { tellParent } from './child.ts';

const [name, json] = process.argv.slice(2);
const suite = suiteNamed(name ?? '');
try {
  if (!suite) throw new Error(`no benchmark named ${name}`);
  const options = JSON.parse(json ?? '{}') as { quick: boolean; soakMinutes: number | null; wallSoakMinutes: number | null };
  const output = await suite.run({ ...options, log: (line) => console.log(line) });
  await tellParent({ type: 'result', output });
} catch (err) {
  await tellParent({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
// Each benchmark stops what it started; exiting here only spares the suite a stray handle.
process.exit(0);
