import { ADMIN_OPERATIONS } from './operations-admin.ts';
import { HISTORY_OPERATIONS } from './operations-history.ts';
import { LIVE_OPERATIONS } from './operations-live.ts';
import type { Operation } from './operation.ts';

export type { Answer, Operation } from './operation.ts';

/**
 * Every route of the monitor's HTTP API, in the order the document lists them. Adding a route: add
 * its entry to the file of its tag (`operations-live.ts`, `operations-history.ts`,
 * `operations-admin.ts`); the test says which are missing.
 */
export const OPERATIONS: Operation[] = [...LIVE_OPERATIONS, ...HISTORY_OPERATIONS, ...ADMIN_OPERATIONS];
