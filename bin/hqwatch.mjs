#!/usr/bin/env node
// Entry point of the `hqwatch` command. Runs the bundled server (`npm run build`) when it is newer
// than every source file, and the TypeScript sources through tsx otherwise, so a stale bundle is
// never run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../server/dist/cli.mjs', import.meta.url);

function newestSource() {
  let newest = 0;
  for (const dir of ['../server/src/', '../shared/src/']) {
    const root = fileURLToPath(new URL(dir, import.meta.url));
    for (const file of readdirSync(root, { recursive: true })) newest = Math.max(newest, statSync(root + file).mtimeMs);
  }
  return newest;
}

if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/src/cli.ts');
}
