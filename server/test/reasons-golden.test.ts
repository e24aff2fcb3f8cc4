/**
 * Every reason sentence of the demo topology through a failover, a failback and the worst cases,
 * against those the version before reason codes wrote (`fixtures/reasons-before.json.gz`, made by
 * that version from `support/reason-cases.ts`): reasons are now codes rendered by one shared
 * function, and not a word may change.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { reasonCases } from './support/reason-cases.ts';

interface Golden {
  sentences: string[];
  layouts: string[][];
  cases: Record<string, [layout: number, sentences: number[]]>;
}

function before(): Record<string, string> {
  const file = new URL('./fixtures/reasons-before.json.gz', import.meta.url);
  const golden = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Golden;
  const out: Record<string, string> = {};
  for (const [variant, [layout, indexes]] of Object.entries(golden.cases)) {
    golden.layouts[layout]!.forEach((key, i) => (out[`${variant}|${key}`] = golden.sentences[indexes[i]!]!));
  }
  return out;
}

describe('reason sentences, before and after reason codes', () => {
  it('are the same, word for word, for every site, service and case of the demo topology', () => {
    const old = before();
    const now = reasonCases();
    expect(Object.keys(now).sort()).toEqual(Object.keys(old).sort());
    const differ = Object.keys(old).filter((key) => now[key] !== old[key]);
    expect(differ.map((key) => ({ key, before: old[key], now: now[key] }))).toEqual([]);
    expect(Object.keys(old).length).toBeGreaterThan(30_000);
  });
});
