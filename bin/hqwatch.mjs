#!/usr/bin/env -S node --max-semi-space-size=2
// Entry point of the `hqwatch` command. Runs the bundled server (`npm run build`) when it is newer
// than every source file, and the TypeScript sources through tsx otherwise, so a stale bundle is
// never run. An installed package (`npm pack`) has the bundle only, and runs it. The monitor allocates many short-lived objects each round and few long-lived ones: a
// smaller young generation (the shebang's flag, 2 MB semi-spaces; `npm start` passes it too) keeps
// its resident memory lower at a small cost in collection time: monitoring the largest topology,
// some 20 MB below Node's default with 4 MB, and another 8 MB or so with 2 MB (`npm run bench -- --only topology`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../server/dist/cli.mjs', import.meta.url);
const sources = ['../server/src/', '../shared/src/'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

function newestSource() {
  let newest = 0;
  for (const root of sources) {
    for (const file of readdirSync(root, { recursive: true })) newest = Math.max(newest, statSync(root + file).mtimeMs);
  }
  return newest;
}

if (!sources.every((dir) => existsSync(dir))) {
  if (!existsSync(bundle)) {
    process.stderr.write('hqwatch: server/dist/cli.mjs is missing: this package was packed without `npm run build`\n');
    process.exit(70);
  }
  await import(bundle.href);
} else if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/src/cli.ts');
}
