import { readFile, readdir } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYamlWith, type ConfigError } from '@hqwatch/shared';
import { scenarioSchema, type Scenario } from './scenario.schema.ts';
import { topologyNodeIds, type LabTopology } from './topology.ts';

/** The built-in library, shipped beside this file. */
export const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

export const BUILTIN_SCENARIOS = [
  'clean-failover',
  'failover-failback',
  'failover-overrun',
  'split-brain',
  'flapping-primary',
  'dvs-lost-during-failover',
  'witness-lost',
  'primary-recovers',
  'primary-blip',
  'standby-lost',
  'dead-pair',
] as const;

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; errors: ConfigError[] };

/** Validates scenario YAML against a topology: unknown node or site ids are errors with their path. */
export function parseScenario(text: string, topology: LabTopology): ScenarioResult {
  const schema = scenarioSchema({ nodeIds: topologyNodeIds(topology), siteIds: topology.sites.map((s) => s.id) });
  const result = parseYamlWith(schema, text);
  return result.ok ? { ok: true, scenario: result.value } : result;
}

export async function loadScenarioFile(path: string, topology: LabTopology): Promise<ScenarioResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'no such file' : String(err);
    return { ok: false, errors: [{ path: '(file)', message: `cannot read ${path}: ${reason}` }] };
  }
  return parseScenario(text, topology);
}

export function isBuiltinScenario(name: string): boolean {
  return (BUILTIN_SCENARIOS as readonly string[]).includes(name);
}

/** Loads a built-in scenario by name, or a scenario file by path (anything with a `/` or a `.yaml`/`.yml` ending). */
export async function resolveScenario(nameOrPath: string, topology: LabTopology): Promise<ScenarioResult> {
  if (isBuiltinScenario(nameOrPath)) return loadScenarioFile(`${SCENARIO_DIR}${nameOrPath}.yaml`, topology);
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || ['.yaml', '.yml'].includes(extname(nameOrPath));
  if (looksLikePath) return loadScenarioFile(nameOrPath, topology);
  return {
    ok: false,
    errors: [
      { path: '(scenario)', message: `unknown scenario "${nameOrPath}" (built-in: ${BUILTIN_SCENARIOS.join(', ')}; or give a file path)` },
    ],
  };
}

/**
 * Names of the YAML files in the scenario folder, for the tests that check that the library and the
 * list agree.
 * @internal
 */
export async function scenarioFiles(): Promise<string[]> {
  const files = await readdir(SCENARIO_DIR);
  return files.filter((f) => extname(f) === '.yaml').map((f) => basename(f, '.yaml'));
}
