import { z } from 'zod';

/**
 * The words of the status page for users (`statusPage.words`): every sentence an end user reads,
 * each overridable per installation. The defaults say what the vendor's notes say, in plain words:
 * - "Users configured on the Headquarters server lose most connectivity capabilities, including
 *   telephony and video. IM connectivity is not affected." → Call Manager, Instant messages;
 * - "Sites that receive voicemail through the Headquarters server lose voicemail access." → Voicemail;
 * - "intersite calls are unavailable to users residing on sites whose only access to a DRS server
 *   is through the Headquarters server" → Calls to other offices;
 * - "Director, Web Client, and Call Manager configuration changes are not available",
 *   "Account Code and Workgroup services are not available" → the last three lines;
 * - "Users logging into Call Manager while the secondary server controls the system must specify
 *   the IP Address of the secondary server" → what to do;
 * - "Failover and failback operations typically require between five to 20 minutes" → the
 *   expected end, from this installation's past windows when it has enough of them.
 * Templates take `{name}` placeholders; each template accepts only those listed in {@link PLACEHOLDERS}.
 */
export const DEFAULT_STATUS_WORDS = {
  title: 'Phone status',
  /** The index page's heading. */
  allSites: 'Phone status of every site',
  searchLabel: 'Find a site',
  searchButton: 'Search',
  noMatch: 'No site matches “{query}”.',
  services: {
    callManager: 'Call Manager',
    instantMessages: 'Instant messages',
    voicemail: 'Voicemail',
    otherOffices: 'Calls to other offices',
    settings: 'Changing phone settings',
    accountCodes: 'Account codes',
    workgroups: 'Workgroups',
  },
  /** What a service's status is, in words; Call Manager's says what its users lose: telephony and video. */
  states: {
    working: 'working',
    unavailable: 'unavailable',
    uncertain: 'not known right now',
    callManagerWorking: 'phone and video calls working',
    callManagerUnavailable: 'phone and video calls unavailable',
    callManagerUncertain: 'phone and video calls may not work',
  },
  /** Appended to an unavailable service whose loss ends with the switch-over. */
  until: 'until about {time} ({estimate})',
  overrun: 'for longer than usual ({estimate})',
  estimateHistory: 'usually {range}',
  estimateVendor: 'typically {range}',
  headlines: {
    ok: 'Everything works at {site}.',
    disrupted: 'Some phone services at {site} are unavailable.',
    uncertain: 'The state of some phone services at {site} is not known.',
  },
  situations: {
    normal: 'The phone system is working normally.',
    failover:
      'Since {start}, the phone system has been switching over to its backup server. Services of the main server are unavailable until it is done.',
    secondary: 'The backup server runs the phone system.',
    failback:
      'Since {start}, the phone system has been switching back to its main server. Services of the main server are unavailable until it is done.',
    outage: 'The main phone server is down and the backup server is not running the phone system. There is no expected end yet.',
    uncertain: 'The phone system is in an unusual state: some services may not work reliably.',
    unknown: 'The state of the phone system cannot be checked right now.',
  },
  actions: {
    /** While the secondary controls the system (the vendor's rule). */
    secondaryAddress: 'When you log in to Call Manager, enter server address {address}.',
    /** During a failover: the address users will need once it completes. */
    nextAddressFailover: 'Once the switch-over is done, log in to Call Manager with server address {address}.',
    /** During a failback: back to the primary's address. */
    nextAddressFailback: 'Once the switch-back is done, log in to Call Manager with the usual server address {address}.',
    /** While the primary is HQ. */
    usualAddress: 'If Call Manager asks for a server address, enter {address}.',
    settings: 'Changes to your phone settings cannot be saved now: make them once this is over.',
    nothing: 'Nothing: everything works as usual.',
    manual: 'The Call Manager User’s Manual explains how to specify the server address.',
  },
  whatWorks: 'What works now',
  whatToDo: 'What to do',
  history: 'Last 7 days',
  historyNone: 'No interruption recorded in the last 7 days.',
  historyNotKept: 'This installation keeps no history.',
  historyEntry: '{services} unavailable',
  ongoing: 'ongoing',
  workingAgain: 'Working again: {services}',
  nowUnavailable: 'Unavailable: {services}',
  share: 'Share this page',
  shortLink: 'Link',
  copy: 'Copy',
  copied: 'Copied',
  live: 'Updates live',
  offline: 'Live updates lost: reload the page',
  notChecked: 'Not checked',
  allSitesLink: 'All sites',
  helpdesk: 'Helpdesk: {phone}',
  signIn: 'Sign in to see the phone status.',
  signInLink: 'Sign in',
} as const;

type DeepString<T> = { -readonly [K in keyof T]: T[K] extends string ? string : DeepString<T[K]> };
export type StatusWords = DeepString<typeof DEFAULT_STATUS_WORDS>;

/** The placeholders each template takes; a template not listed here takes none. */
export const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  noMatch: ['query'],
  until: ['time', 'estimate'],
  overrun: ['estimate'],
  estimateHistory: ['range'],
  estimateVendor: ['range'],
  'headlines.ok': ['site'],
  'headlines.disrupted': ['site'],
  'headlines.uncertain': ['site'],
  'situations.failover': ['start'],
  'situations.failback': ['start'],
  'actions.secondaryAddress': ['address'],
  'actions.nextAddressFailover': ['address'],
  'actions.nextAddressFailback': ['address'],
  'actions.usualAddress': ['address'],
  historyEntry: ['services'],
  workingAgain: ['services'],
  nowUnavailable: ['services'],
  helpdesk: ['phone'],
};

/** Templates that must name a placeholder: a sentence telling users what to type must say it. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'actions.secondaryAddress': ['address'],
  'actions.nextAddressFailover': ['address'],
  'actions.nextAddressFailback': ['address'],
  'actions.usualAddress': ['address'],
  until: ['time'],
  estimateHistory: ['range'],
  estimateVendor: ['range'],
  helpdesk: ['phone'],
};

/** A template's words for `path`, checked for placeholders it does not take or must take. */
function template(path: string) {
  const allowed = PLACEHOLDERS[path] ?? [];
  const required = REQUIRED[path] ?? [];
  return z
    .string({ error: 'expected text' })
    .min(1, 'must not be empty')
    .max(500, 'at most 500 characters')
    .superRefine((text, ctx) => {
      const used = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
      for (const name of used)
        if (!allowed.includes(name))
          ctx.addIssue({
            code: 'custom',
            message: allowed.length
              ? `{${name}} is not a placeholder here (use ${allowed.map((a) => `{${a}}`).join(', ')})`
              : `{${name}} is not a placeholder here (this text takes none)`,
          });
      for (const name of required)
        if (!used.includes(name)) ctx.addIssue({ code: 'custom', message: `must contain {${name}}, or users are not told it` });
    });
}

/** A strict object of optional templates shaped like `defaults`, each defaulting to its default. */
function wordsShape(defaults: Record<string, unknown>, prefix: string): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const path = prefix ? `${prefix}.${key}` : key;
    shape[key] = typeof value === 'string' ? template(path).default(value) : wordsShape(value as Record<string, unknown>, path);
  }
  return z.strictObject(shape).prefault({});
}

/** `statusPage.words`: any subset of {@link DEFAULT_STATUS_WORDS}; unknown keys and bad placeholders are errors. */
export const statusWordsSchema = wordsShape(DEFAULT_STATUS_WORDS, '') as z.ZodType<StatusWords, object | undefined>;

/** Fills `{name}` placeholders; one not given stays as written. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([^{}]*)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
