import { z } from 'zod';
import { canonicalTimeZone, isoTimeSchema } from '@hqwatch/shared';
import { HttpError } from '../http/http-error.ts';

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(min).max(max).default(fallback);

function ordered<T extends { from?: string; to?: string }>(schema: z.ZodType<T>) {
  return schema.refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  });
}

export const incidentListQuery = ordered(
  z.object({ from: isoTimeSchema.optional(), to: isoTimeSchema.optional(), limit: count(1, 500, 50), offset: count(0, 1_000_000, 0) }),
);
export const availabilityQuery = ordered(
  z.object({
    from: isoTimeSchema.optional(),
    to: isoTimeSchema.optional(),
    /** `exclude`: time inside planned maintenance windows counts neither as up nor as down. */
    planned: z.enum(['include', 'exclude'], { error: 'expected include or exclude' }).default('include'),
  }),
);
export const exportQuery = z.object({
  format: z.enum(['json', 'csv', 'md'], { error: 'expected json, csv or md' }).default('json'),
  /** The Markdown's times in this IANA zone, UTC beside; UTC alone when absent. */
  tz: z
    .string()
    .optional()
    .superRefine((zone, ctx) => {
      if (zone !== undefined && canonicalTimeZone(zone) === null)
        ctx.addIssue({
          code: 'custom',
          message: `unknown time zone ${JSON.stringify(zone.slice(0, 64))}: give an IANA zone such as Europe/Berlin or America/New_York`,
        });
    }),
  /** `0` leaves the Markdown's appendix (the full per-site detail) out. */
  appendix: z.enum(['0', '1', 'false', 'true'], { error: 'expected 0 or 1' }).default('1'),
});
export const replayQuery = z.object({ at: isoTimeSchema });

function badRequest(field: string, message: string): HttpError {
  return new HttpError(400, 'bad_request', `${field}: ${message}`, field);
}

/** Validates query parameters; the 400 names the first bad field. A parameter given twice is refused, not guessed at. */
export function parseQuery<T>(schema: z.ZodType<T>, query: Record<string, string | string[] | undefined>): T {
  for (const [field, value] of Object.entries(query)) if (Array.isArray(value)) throw badRequest(field, 'give it once');
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'query';
  throw badRequest(field, issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message);
}
