import { existsSync, readFileSync } from 'node:fs';

/** The version in hqwatch's package.json: the nearest one up from here (`server/src` or `server/dist` alike). */
export function version(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hqwatch' && pkg.version) return pkg.version;
    }
    if (new URL('..', dir).href === dir.href) return 'unknown';
  }
}
