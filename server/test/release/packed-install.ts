/**
 * Installing the packed tarball the way a user would, without the network: the lockfile of the
 * empty folder it goes into is made from this checkout's own install (the same versions, the same
 * integrity hashes), so `npm ci --offline` takes every package from npm's cache.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  hasInstallScript?: boolean;
  [key: string]: unknown;
}

const REGISTRY = 'https://registry.npmjs.org';

function nameAt(location: string): string {
  return location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Where Node finds `name` from a package at `from` ('' for the root): the nearest node_modules up. */
function resolveFrom(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * The lockfile of an app that depends on `tarball` only, with the runtime dependency tree of
 * `root`'s package as installed in `root/node_modules` (its hidden lockfile): what the tests ran on.
 */
export function lockFor(root: string, tarball: string): { lock: object; withScripts: string[] } {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  const installed = (
    JSON.parse(readFileSync(path.join(root, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  ).packages;
  const out: Record<string, LockEntry> = {
    '': { name: 'app', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${tarball}`, dependencies: pkg.dependencies, bin: pkg.bin },
  };
  const withScripts: string[] = [];
  const queue: [from: string, deps: Record<string, string>, optional: Set<string>][] = [['', pkg.dependencies, new Set()]];
  const seen = new Set<string>();
  while (queue.length) {
    const [from, deps, optional] = queue.shift()!;
    for (const name of Object.keys(deps)) {
      const location = resolveFrom(installed, from, name);
      if (!location) {
        if (optional.has(name)) continue;
        throw new Error(`${name} (needed by ${from || 'hqwatch'}) is not installed in ${root}`);
      }
      if (seen.has(location)) continue;
      seen.add(location);
      const entry = { ...installed[location]! };
      for (const flag of ['dev', 'devOptional', 'peer', 'extraneous']) delete entry[flag];
      const packageName = nameAt(location);
      entry.resolved ??= `${REGISTRY}/${packageName}/-/${packageName.replace(/^@[^/]+\//, '')}-${entry.version}.tgz`;
      if (entry.hasInstallScript) withScripts.push(location);
      out[location] = entry;
      const peersOptional = Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional);
      queue.push([
        location,
        { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies },
        new Set([...Object.keys(entry.optionalDependencies ?? {}), ...peersOptional.map(([n]) => n)]),
      ]);
    }
  }
  return { lock: { name: 'app', lockfileVersion: 3, requires: true, packages: out }, withScripts };
}

/**
 * Packages with an install script (better-sqlite3 12 builds its native module) are installed with
 * `--ignore-scripts`, then given the build this checkout made of the same version on the same Node:
 * what the script would make, without a compiler or a download.
 */
export function copyBuilds(root: string, app: string, locations: readonly string[]): void {
  for (const location of locations) {
    const built = path.join(root, location, 'build');
    if (existsSync(built)) cpSync(built, path.join(app, location, 'build'), { recursive: true });
  }
}
