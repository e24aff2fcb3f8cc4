import { z } from 'zod';
import type { ConfigError } from './config-error.ts';
import { statusWordsSchema } from './status-page-words.ts';

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `tag` is a BCP 47 language tag this runtime formats times in (`en`, `de-CH`). */
function isLanguage(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * `statusPage:` in the config: the pages for end users and the helpdesk (`/status`, `/status/:siteId`).
 * Without `public: true` they need a viewer (a login, a kiosk display, or `auth.anonymous: viewer`).
 */
export const statusPageSchema = z
  .strictObject({
    /** Anyone may read `/status*` without a login; nothing else is opened. */
    public: z.boolean().default(false),
    /** Only these sites have a page (and are listed); every site when absent. */
    sites: z.array(z.string().min(1)).min(1, 'list at least one site, or leave the key out for every site').optional(),
    /** The language of the page (its `lang`, and how times are written). */
    language: z
      .string()
      .refine(isLanguage, { error: (issue) => `"${String(issue.input)}" is not a language tag (e.g. en, de, fr-CA)` })
      .default('en'),
    /** The time zone of times on the page (`until about 14:32`); the server's when absent. */
    timeZone: z
      .string()
      .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)` })
      .optional(),
    /** How times are written: `14:32` (24h, the default) or `2:32 PM` (12h). */
    clock: z.enum(['24h', '12h'], { error: 'expected 24h or 12h' }).default('24h'),
    /** The company's name, shown in the page title. */
    company: z.string().min(1).max(100).optional(),
    /** The helpdesk's number, shown on every page. */
    helpdesk: z.string().min(1).max(100).optional(),
    /** Where the Call Manager User's Manual (or the company's own instructions) can be read. */
    manualUrl: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
    /** Every sentence of the page (see `status-page-words.ts`); the vendor's notes by default. */
    words: statusWordsSchema,
  })
  .prefault({ words: {} });

export type StatusPageConfig = z.output<typeof statusPageSchema>;

/** `statusPage.sites` must name configured sites, once each. */
export function statusPageCrossCheck(raw: unknown): ConfigError[] {
  const doc = raw as { statusPage?: { sites?: unknown }; sites?: unknown } | null;
  const listed = doc?.statusPage?.sites;
  if (!Array.isArray(listed)) return [];
  const known = new Set(
    (Array.isArray(doc?.sites) ? doc.sites : []).flatMap((s) =>
      typeof (s as { id?: unknown })?.id === 'string' ? [(s as { id: string }).id] : [],
    ),
  );
  const seen = new Set<unknown>();
  const errors: ConfigError[] = [];
  listed.forEach((id, i) => {
    if (typeof id !== 'string') return;
    if (!known.has(id)) errors.push({ path: `statusPage.sites[${i}]`, message: `"${id}" is not a configured site id` });
    else if (seen.has(id)) errors.push({ path: `statusPage.sites[${i}]`, message: `"${id}" is listed twice` });
    seen.add(id);
  });
  return errors;
}
