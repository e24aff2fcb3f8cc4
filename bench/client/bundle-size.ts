import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  /** Every JavaScript chunk of the build, gzipped, in KB. */
  allKb: number;
  /** The chunks the first page loads (entry script and its module preloads), gzipped, in KB. */
  firstLoadKb: number;
  cssKb: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipped = async (file: string) => gzipSync(await readFile(file), { level: 9 }).length;

/** Gzipped size of the built client in `dist`, as a browser would download it. */
export async function bundleSize(dist: string): Promise<BundleSize> {
  const assets = path.join(dist, 'assets');
  const files = await readdir(assets);
  let all = 0;
  let css = 0;
  for (const file of files) {
    if (file.endsWith('.js')) all += await gzipped(path.join(assets, file));
    if (file.endsWith('.css')) css += await gzipped(path.join(assets, file));
  }
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const first = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  let firstLoad = 0;
  for (const file of new Set(first)) firstLoad += await gzipped(path.join(assets, file));
  return { allKb: kb(all), firstLoadKb: kb(firstLoad), cssKb: kb(css) };
}
