import { z } from 'zod';
import {
  annotationInputSchema,
  annotationUpdateSchema,
  kioskCreateSchema,
  loginInputSchema,
  maintenanceInputSchema,
  userCreateSchema,
  userUpdateSchema,
} from '@hqwatch/shared';
import type { Access } from '../../auth/access.ts';
import { maintenanceListQuery } from '../../maintenance/maintenance.routes.ts';
import { messagesQuery, testBody } from '../../notify/notify.routes.ts';
import { availabilityQuery, exportQuery, incidentListQuery, replayQuery } from '../history-query.ts';

/** What one answer of an operation is: its words, and its body's type and shape where it has one. */
export interface Answer {
  description: string;
  /** `json` (the default when a body is described), another media type, or `none` (204, a redirect). */
  type?: 'json' | 'none' | string;
  /** The body's shape: a zod schema the route uses, or JSON Schema written here. */
  schema?: z.ZodType | Record<string, unknown>;
}

/**
 * One REST route, documented: the OpenAPI document (`/api/openapi.json`) is made from this list, and
 * a test fails when a route the app mounts is missing here or its access differs. Query parameters
 * and bodies are the very zod schemas the route validates with.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the router has it: `/api/incidents/:id`. */
  path: string;
  /** The route's first middleware: `requireRole(…)` or `publicRoute()`. */
  access: Access;
  tag: 'live' | 'status' | 'history' | 'alerts' | 'maintenance' | 'accounts' | 'admin' | 'meta';
  summary: string;
  description?: string;
  /** Path parameters and what each is. */
  params?: Record<string, string>;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Answers besides the errors every route may give (401/403 by access, 429 lockouts, 500). */
  answers: Record<number, Answer>;
}

const free = (text: string) => ({ type: 'object', description: text }) as const;
const bad = { description: 'A parameter or the body is refused; `error.field` names it.' };
const gone = (what: string) => ({ description: `No such ${what}, or this server keeps no history store.` });
const storeAway = { description: 'The history database is unreachable (PostgreSQL away); retry.' };
const tooMany = { description: 'Over the per-address budget; `Retry-After` says when to come back.' };
const notJson = { description: 'The body is not `application/json`.' };

/** Every route of the monitor's HTTP API. Adding a route: add its entry here (the test says so). */
export const OPERATIONS: Operation[] = [
  {
    method: 'GET',
    path: '/api/state',
    access: 'viewer',
    tag: 'live',
    summary: 'The current live state',
    description:
      'The whole LiveState (HQ state, windows, nodes, probes, sites and their impact, reasons in words beside their codes), ' +
      'as the dashboard gets it over the socket; see docs/wire.md. Compressed (br, gzip) as `Accept-Encoding` allows; ' +
      '`ETag` and `If-None-Match` give `304` while the state is unchanged.',
    answers: {
      200: { description: 'The LiveState.', schema: free('LiveState (shared/src/live-state.ts)') },
      304: { description: 'Not modified.', type: 'none' },
    },
  },
  {
    method: 'GET',
    path: '/api/live',
    access: 'public',
    tag: 'meta',
    summary: 'Liveness, for container health checks and load balancers',
    description:
      'Whether this process answers and runs its monitor rounds, and nothing else: no state, no counts. ' +
      'A blind monitor or a failing store is still live (see /api/health).',
    answers: {
      200: {
        description: 'Rounds are running.',
        schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
      },
      503: {
        description: 'No round in the last 3 intervals.',
        schema: { type: 'object', properties: { status: { const: 'stalled' } }, required: ['status'] },
      },
    },
  },
  {
    method: 'GET',
    path: '/api/health',
    access: 'viewer',
    tag: 'meta',
    summary: "The monitor's own health",
    description:
      'Rounds (count, late, last), the store, alert deliveries, connected dashboards, the network interface, event loop, CPU and memory.',
    answers: { 200: { description: '`status` is `ok` or `degraded`, with the reason.', schema: free('health report') } },
  },
  {
    method: 'GET',
    path: '/api/cluster',
    access: 'viewer',
    tag: 'meta',
    summary: "This node's part in a monitor pair",
    description:
      'With `ha` configured: this instance, its role (leader, standby or web), the leadership term, the last heartbeat, the leader, ' +
      'and whether the node is cut off from Redis or PostgreSQL. `{ "enabled": false }` for a single instance.',
    answers: { 200: { description: 'The node status.', schema: free('cluster status (server/src/cluster/cluster.ts)') } },
  },
  {
    method: 'GET',
    path: '/metrics',
    access: 'viewer',
    tag: 'meta',
    summary: 'Prometheus metrics',
    answers: { 200: { description: 'The text exposition format 0.0.4.', type: 'text/plain' } },
  },
  {
    method: 'GET',
    path: '/api/sites',
    access: 'viewer',
    tag: 'live',
    summary: 'The site directory',
    description:
      "Each site's home server, voicemail server, user count and short name, from the config in force; the wall groups sites with it.",
    answers: { 200: { description: 'The directory.', schema: free('SiteDirectory (shared/src/site-directory.ts)') } },
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    access: 'viewer',
    tag: 'meta',
    summary: 'This document',
    description: 'OpenAPI 3.1, made from the routes and the zod schemas they validate with. Readable as the rest of the API is.',
    answers: { 200: { description: 'The OpenAPI document.', schema: free('OpenAPI 3.1') } },
  },
  {
    method: 'GET',
    path: '/status',
    access: 'viewer',
    tag: 'status',
    summary: 'The status page for users: every site, in words (HTML)',
    description: 'Readable by viewers, or by anyone with `statusPage.public: true`.',
    query: z.object({ q: z.string().max(100).optional(), page: z.string().optional() }),
    answers: { 200: { description: 'The page.', type: 'text/html' }, 304: { description: 'Not modified.', type: 'none' } },
  },
  {
    method: 'GET',
    path: '/status/_/:script',
    access: 'viewer',
    tag: 'status',
    summary: "The status page's script (live updates)",
    params: { script: 'the script file' },
    answers: { 200: { description: 'JavaScript.', type: 'text/javascript' }, 404: { description: 'No such file.' } },
  },
  {
    method: 'GET',
    path: '/status/:file',
    access: 'viewer',
    tag: 'status',
    summary: "One site's status: `SITE` (HTML), `SITE.json` or `SITE.atom`",
    params: { file: 'the site id, with .json or .atom for those forms' },
    answers: {
      200: { description: 'The page, its JSON or its Atom feed.', type: 'text/html' },
      304: { description: 'Not modified.', type: 'none' },
      404: gone('site'),
    },
  },
  {
    method: 'GET',
    path: '/status/:siteId/events',
    access: 'viewer',
    tag: 'status',
    summary: "A site's status as server-sent events: the page's main part on each change",
    params: { siteId: 'the site id' },
    answers: { 200: { description: 'An event stream.', type: 'text/event-stream' }, 404: gone('site'), 429: tooMany },
  },
  {
    method: 'GET',
    path: '/api/incidents',
    access: 'viewer',
    tag: 'history',
    summary: 'Incidents in a range, newest first',
    query: incidentListQuery,
    answers: {
      200: { description: 'A page of incidents and the total.', schema: free('IncidentList') },
      400: bad,
      429: tooMany,
      503: storeAway,
    },
  },
  {
    method: 'GET',
    path: '/api/incidents/:id',
    access: 'viewer',
    tag: 'history',
    summary: 'One incident: windows, timeline, impact, annotations',
    params: { id: 'the incident id' },
    answers: { 200: { description: 'The incident.', schema: free('IncidentDetail') }, 404: gone('incident'), 429: tooMany, 503: storeAway },
  },
  {
    method: 'GET',
    path: '/api/incidents/:id/export',
    access: 'viewer',
    tag: 'history',
    summary: 'A postmortem export of one incident',
    params: { id: 'the incident id' },
    query: exportQuery,
    answers: {
      200: { description: 'JSON, CSV or Markdown, as an attachment.', type: 'application/octet-stream' },
      400: bad,
      404: gone('incident'),
      429: tooMany,
      503: storeAway,
    },
  },
  {
    method: 'GET',
    path: '/api/incidents/:id/replay',
    access: 'viewer',
    tag: 'history',
    summary: 'The live state as it was at a moment of an incident',
    params: { id: 'the incident id' },
    query: replayQuery,
    answers: {
      200: { description: 'The LiveState at `at`.', schema: free('LiveState') },
      400: bad,
      404: gone('incident'),
      429: tooMany,
      503: storeAway,
    },
  },
  {
    method: 'POST',
    path: '/api/incidents/:id/annotations',
    access: 'operator',
    tag: 'history',
    summary: 'Annotate an incident',
    params: { id: 'the incident id' },
    body: annotationInputSchema,
    answers: {
      201: { description: 'The annotation as stored.', schema: free('Annotation') },
      400: bad,
      404: gone('incident'),
      413: { description: 'The text is too long.' },
      415: notJson,
      503: storeAway,
    },
  },
  {
    method: 'PATCH',
    path: '/api/incidents/:id/annotations/:annotationId',
    access: 'operator',
    tag: 'history',
    summary: 'Mark a note as a follow-up, or not',
    params: { id: 'the incident id', annotationId: 'the note id' },
    body: annotationUpdateSchema,
    answers: {
      200: { description: 'The note as stored.', schema: free('Annotation') },
      400: bad,
      404: gone('note on this incident'),
      415: notJson,
      503: storeAway,
    },
  },
  {
    method: 'GET',
    path: '/api/availability',
    access: 'viewer',
    tag: 'history',
    summary: 'Availability per site and service over a range (at most 400 days; the last 30 by default)',
    query: availabilityQuery,
    answers: { 200: { description: 'The report.', schema: free('AvailabilityReport') }, 400: bad, 429: tooMany, 503: storeAway },
  },
  {
    method: 'GET',
    path: '/api/notify',
    access: 'viewer',
    tag: 'alerts',
    summary: 'How alerting stands: channels (without secrets), routes, pending and undeliverable deliveries',
    answers: { 200: { description: 'The overview.', schema: free('NotifyOverview') } },
  },
  {
    method: 'GET',
    path: '/api/notify/messages',
    access: 'viewer',
    tag: 'alerts',
    summary: 'Alert messages recorded, newest first',
    query: messagesQuery,
    answers: { 200: { description: '`{ messages }`.', schema: free('{ messages: MessageView[] }') }, 400: bad, 404: gone('store') },
  },
  {
    method: 'POST',
    path: '/api/notify/test',
    access: 'operator',
    tag: 'alerts',
    summary: 'Send a test alert on one channel',
    body: testBody,
    answers: {
      200: { description: 'Sent.', schema: free('TestSendResult') },
      400: bad,
      404: gone('channel'),
      415: notJson,
      502: { description: 'The channel refused or did not answer; `error` says how.', schema: free('TestSendResult') },
    },
  },
  {
    method: 'POST',
    path: '/api/notify/outbox/:id/retry',
    access: 'operator',
    tag: 'alerts',
    summary: 'Retry an undeliverable delivery',
    params: { id: 'the delivery number' },
    answers: { 200: { description: '`{ ok: true, id }`.', schema: free('{ ok, id }') }, 400: bad, 404: gone('undeliverable delivery') },
  },
  {
    method: 'GET',
    path: '/api/maintenance',
    access: 'viewer',
    tag: 'maintenance',
    summary: 'Planned maintenance windows (those of the last 7 days and to come, or all) and the one in force',
    query: maintenanceListQuery,
    answers: { 200: { description: '`{ windows, active }`.', schema: free('MaintenanceList') }, 503: storeAway },
  },
  {
    method: 'POST',
    path: '/api/maintenance',
    access: 'operator',
    tag: 'maintenance',
    summary: 'Schedule a maintenance window (from now when `from` is absent)',
    body: maintenanceInputSchema,
    answers: { 201: { description: 'The window.', schema: free('MaintenanceWindow') }, 400: bad, 415: notJson, 503: storeAway },
  },
  {
    method: 'DELETE',
    path: '/api/maintenance/:id',
    access: 'operator',
    tag: 'maintenance',
    summary: 'Remove a window to come, or end the one in progress now',
    params: { id: 'the window id' },
    answers: {
      200: { description: 'What was done.', schema: free('removal') },
      404: gone('window to come or in progress'),
      503: storeAway,
    },
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    access: 'public',
    tag: 'accounts',
    summary: 'Who the server takes you for, and whether reading needs a login',
    answers: { 200: { description: '`{ principal, anonymous }`.', schema: free('WhoAmI') } },
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    tag: 'accounts',
    summary: 'Sign in: sets the session cookie',
    body: loginInputSchema,
    answers: {
      200: { description: 'Signed in; `Set-Cookie: hqwatch_session=…`.', schema: free('WhoAmI') },
      400: bad,
      401: { description: 'Wrong name or password.' },
      404: gone('account store'),
      415: notJson,
      429: { description: 'Too many failed sign-ins for this name or address; `Retry-After`.' },
    },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    access: 'public',
    tag: 'accounts',
    summary: 'Sign out: ends the session and clears its cookie',
    answers: { 204: { description: 'Signed out.', type: 'none' } },
  },
  {
    method: 'GET',
    path: '/wall',
    access: 'public',
    tag: 'accounts',
    summary: "A kiosk display's sign-in: trades `?token=` for a session cookie and redirects to /wall without it",
    description: 'Without `token` this is the wall page itself.',
    query: z.object({ token: z.string().optional(), rotate: z.string().optional(), views: z.string().optional() }),
    answers: {
      200: { description: 'The wall page (no token).', type: 'text/html' },
      303: { description: 'To /wall (the token taken) or /wall?kiosk=refused.', type: 'none' },
    },
  },
  {
    method: 'GET',
    path: '/api/admin/users',
    access: 'admin',
    tag: 'admin',
    summary: 'Users and their roles',
    answers: { 200: { description: 'The users.', schema: free('UserView[]') } },
  },
  {
    method: 'POST',
    path: '/api/admin/users',
    access: 'admin',
    tag: 'admin',
    summary: 'Add a user',
    body: userCreateSchema,
    answers: {
      201: { description: 'The user.', schema: free('UserView') },
      400: bad,
      409: { description: 'The name is taken.' },
      415: notJson,
    },
  },
  {
    method: 'PATCH',
    path: '/api/admin/users/:name',
    access: 'admin',
    tag: 'admin',
    summary: "Change a user's role or password (ends their sessions)",
    params: { name: 'the user name' },
    body: userUpdateSchema,
    answers: {
      200: { description: 'The user.', schema: free('UserView') },
      400: bad,
      404: gone('user'),
      409: { description: 'It would leave no admin.' },
      415: notJson,
    },
  },
  {
    method: 'DELETE',
    path: '/api/admin/users/:name',
    access: 'admin',
    tag: 'admin',
    summary: 'Remove a user (ends their sessions)',
    params: { name: 'the user name' },
    answers: { 204: { description: 'Removed.', type: 'none' }, 404: gone('user'), 409: { description: 'It is the last admin.' } },
  },
  {
    method: 'GET',
    path: '/api/admin/kiosks',
    access: 'admin',
    tag: 'admin',
    summary: 'Kiosk displays, with when each was last seen',
    answers: { 200: { description: 'The displays.', schema: free('KioskView[]') } },
  },
  {
    method: 'POST',
    path: '/api/admin/kiosks',
    access: 'admin',
    tag: 'admin',
    summary: 'Add a kiosk display: its token is in this answer only',
    body: kioskCreateSchema,
    answers: {
      201: { description: 'The display and its one-time link.', schema: free('NewKiosk') },
      400: bad,
      409: { description: 'The name is taken.' },
      415: notJson,
    },
  },
  {
    method: 'DELETE',
    path: '/api/admin/kiosks/:name',
    access: 'admin',
    tag: 'admin',
    summary: 'Revoke a kiosk display (its wall drops to the sign-in screen)',
    params: { name: 'the display name' },
    answers: { 204: { description: 'Revoked.', type: 'none' }, 404: gone('display') },
  },
  {
    method: 'POST',
    path: '/api/admin/config/reload',
    access: 'admin',
    tag: 'admin',
    summary: 'Reload the config file',
    answers: {
      200: {
        description: 'Applied (changed or not), or refused with its errors; the running config stays when refused.',
        schema: free('ReloadOutcome'),
      },
      409: { description: 'This server was not started from a config file.' },
    },
  },
];
