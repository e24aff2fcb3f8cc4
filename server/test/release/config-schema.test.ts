// The config's JSON Schema: generated from the zod schema, checked in beside the examples, named
// by their `yaml-language-server` line, and right about them (what it accepts, config files accept).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, validateConfig } from '@hqwatch/shared';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLES = ['examples/hqwatch.example.yaml', 'examples/notify.example.yaml'];
const checkedIn = () => JSON.parse(readFileSync(path.join(ROOT, 'examples/hqwatch.schema.json'), 'utf8')) as object;

function validator() {
  return new Ajv2020({ allErrors: true, strict: false, logger: false }).compile(configJsonSchema());
}

describe('the config JSON Schema', () => {
  it('is checked in as examples/hqwatch.schema.json, current with the zod schema', () => {
    expect(checkedIn(), 'run: node bin/hqwatch.mjs config-schema > examples/hqwatch.schema.json').toEqual(configJsonSchema());
  });

  it('is what `hqwatch config-schema` prints', () => {
    const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/hqwatch.mjs'), 'config-schema'], { encoding: 'utf8', timeout: 30_000 });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(configJsonSchema());
  });

  it.each(EXAMPLES)('is named by %s for editors, and accepts it as hqwatch does', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./hqwatch.schema.json');
    const validate = validator();
    const doc = parse(text) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    // notify.example names secrets as ${ENV:…}; the zod schema checks its shape alike.
    const result = validateConfig(doc);
    if (!result.ok)
      expect(
        result.errors.every((e) => /ENV/.test(e.message)),
        JSON.stringify(result.errors),
      ).toBe(true);
  });

  it('refuses what the config refuses that a schema can see: unknown keys, wrong types, bad durations, unknown probe kinds', () => {
    const validate = validator();
    const base = parse(readFileSync(path.join(ROOT, 'examples/hqwatch.example.yaml'), 'utf8')) as object;
    // A change at a path: the value put there, or removed (undefined).
    const cases: [what: string, path: (string | number)[], value: unknown][] = [
      ['an unknown top-level key', ['monitr'], {}],
      ['an unknown monitor key', ['monitor', 'intervl'], '2s'],
      ['a duration without a unit', ['monitor', 'interval'], '2'],
      ['a duration as a number', ['monitor', 'timeout'], 1000],
      ['a port out of range', ['headquarters', 'primary', 'probes', 0, 'port'], 70_000],
      ['an unknown probe kind', ['headquarters', 'primary', 'probes', 0, 'kind'], 'ftp'],
      ['no secondary', ['headquarters', 'secondary'], undefined],
      ['a store of another kind', ['store'], { kind: 'mongo' }],
    ];
    const change = (config: object, at: (string | number)[], value: unknown) => {
      const parent = at
        .slice(0, -1)
        .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string, unknown>, config as Record<string, unknown>);
      if (value === undefined) delete parent[at.at(-1)!];
      else parent[at.at(-1)!] = value;
    };
    for (const [what, at, value] of cases) {
      const config = structuredClone(base);
      change(config, at, value);
      expect(validate(config), what).toBe(false);
      expect(validateConfig(config).ok, what).toBe(false);
    }
  });
});
