import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { HqwatchConfig } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import { loadConfigFile } from './load.ts';

/**
 * Reloads the config on SIGHUP and when the file changes. A valid file is applied; an invalid one
 * is refused with its errors logged, and the running config is kept.
 */
export function watchConfig(file: string, initial: HqwatchConfig, apply: (config: HqwatchConfig) => void, log: Logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = JSON.stringify(initial);
  async function reload(reason: string) {
    const result = await loadConfigFile(file);
    if (!result.ok) {
      log.error(
        { file, reason, errors: result.errors.map((e) => `${e.path}: ${e.message}`) },
        'config refused; keeping the running config',
      );
      return;
    }
    const text = JSON.stringify(result.config);
    if (text === last) return;
    last = text;
    log.info({ file, reason }, 'config reloaded');
    apply(result.config);
  }
  const onHup = () => void reload('SIGHUP');
  process.on('SIGHUP', onHup);
  // Watch the directory: editors replace files by rename, which a file watcher would lose.
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(path.dirname(path.resolve(file)), (_event, name) => {
      if (name !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload('file changed'), 200);
    });
  } catch (err) {
    log.warn({ err, file }, 'cannot watch the config file; SIGHUP still reloads it');
  }
  return () => {
    process.off('SIGHUP', onHup);
    clearTimeout(timer);
    watcher?.close();
  };
}
