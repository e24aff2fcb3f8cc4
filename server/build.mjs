// Bundles the server for running without a TypeScript loader: `server/dist/cli.mjs`, with the
// shared domain inlined and npm dependencies left as imports. Saves the loader's memory and start time.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const here = (p) => new URL(p, import.meta.url);
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@hqwatch/'));

rmSync(here('./dist'), { recursive: true, force: true });
await build({
  entryPoints: [here('./src/cli.ts').pathname],
  outfile: here('./dist/cli.mjs').pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Built-in scenarios are read from beside the code at run time.
cpSync(here('./src/lab/scenarios'), here('./dist/scenarios'), { recursive: true });
