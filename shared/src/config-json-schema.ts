import { z } from 'zod';
import { configSchema, durationSchema } from './config.ts';

/** The duration syntax `parseDuration` reads (`500ms`, `2s`, `1.5h`), surrounding spaces allowed. */
const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?(ms|s|m|h|d)\\s*$';

/**
 * The config file's JSON Schema (draft 2020-12), generated from the same zod schema that validates
 * it, describing what is written in the file (durations as strings, defaults left out) so an editor
 * completes keys and flags unknown ones, wrong types and bad durations. What only code can check
 * (references between ids, DRS paths, host names) is left to `hqwatch check-config`.
 */
export function configJsonSchema(): Record<string, unknown> {
  const durationText: unknown = (durationSchema as unknown as { in: z.ZodType }).in;
  const schema = z.toJSONSchema(configSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override(ctx) {
      if (ctx.zodSchema === durationText) {
        ctx.jsonSchema.pattern = DURATION_PATTERN;
        ctx.jsonSchema.description = 'a duration: 500ms, 2s, 5m, 1h, 1d';
      }
    },
  });
  return {
    $schema: schema.$schema,
    title: 'hqwatch configuration',
    description: 'The YAML file given to `hqwatch serve --config FILE`; `hqwatch check-config FILE` checks what a schema cannot.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
