import type { z } from 'zod';
import type { Access } from '../../auth/access.ts';

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

export const free = (text: string) => ({ type: 'object', description: text }) as const;
export const bad = { description: 'A parameter or the body is refused; `error.field` names it.' };
export const gone = (what: string) => ({ description: `No such ${what}, or this server keeps no history store.` });
export const storeAway = { description: 'The history database is unreachable (PostgreSQL away); retry.' };
export const tooMany = { description: 'Over the per-address budget; `Retry-After` says when to come back.' };
export const notJson = { description: 'The body is not `application/json`.' };
