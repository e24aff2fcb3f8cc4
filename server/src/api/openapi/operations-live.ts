import { z } from 'zod';
import { free, gone, tooMany, type Operation } from './operation.ts';

/** The live state, the status database and the monitor's own documents. */
export const LIVE_OPERATIONS: Operation[] = [
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
];
