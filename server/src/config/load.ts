import { readFile } from 'node:fs/promises';
import { notifyEnvErrors, parseConfigText, type ConfigResult, type Env } from '@hqwatch/shared';
import { unreadableFiles } from './files.ts';

function fileError(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EACCES' || code === 'EPERM') return `${file}: permission denied`;
  if (code === 'EISDIR') return `${file}: is a directory, not a config file`;
  return `${file}: cannot read (${code ?? (err instanceof Error ? err.message : String(err))})`;
}

/**
 * Reads and validates a config file; a missing or unreadable file is one error, never a throw.
 * Alert channels' `${ENV:NAME}` secrets are checked against `env` (where hqwatch runs), by name only.
 */
export async function loadConfigFile(file: string, env: Env = process.env): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, errors: [{ path: '(file)', message: fileError(file, err) }] };
  }
  if (text.trim() === '') return { ok: false, errors: [{ path: '(file)', message: `${file}: the file is empty` }] };
  const result = parseConfigText(text);
  if (result.ok) {
    const errors = [...(await unreadableFiles(result.config)), ...notifyEnvErrors(result.config.notify, env)];
    return errors.length === 0 ? result : { ok: false, errors };
  }
  return { ok: false, errors: result.errors.map((e) => (e.path === '(file)' ? { ...e, message: `${file}: ${e.message}` } : e)) };
}
