import { configJsonSchema } from '@hqwatch/shared';

/**
 * `hqwatch config-schema`: the config file's JSON Schema on stdout, as checked in beside the
 * example (`examples/hqwatch.schema.json`, kept current by a test).
 */
export function runConfigSchema(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return 0;
}
