import { createLogger } from '../logger.ts';
import { runLabCommand } from '../lab/lab-command.ts';
import { stopOnSignals } from './serve.ts';

/** `hqwatch lab`: only the simulated servers, with their control API. */
export async function runLab(opts: { scenario?: string; speed?: number; controlPort: number; statusDb?: string }): Promise<number> {
  const log = createLogger();
  const result = await runLabCommand({ ...opts, statusDbPassword: process.env.HQWATCH_STATUSDB_PASSWORD ?? '', log });
  if ('exitCode' in result) {
    for (const line of result.errors) process.stderr.write(`${line}\n`);
    return result.exitCode;
  }
  stopOnSignals(() => result.close(), log);
  return -1;
}
