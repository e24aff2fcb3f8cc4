/**
 * Every error code the two HTTP APIs answer with, the monitor's and the lab's control API: a
 * client can rely on this list. The first group is raised by the edge itself (the error handler
 * and the body reader), the others by routes.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'invalid_json'
  | 'internal'
  // The history routes, while the history database is away (PostgreSQL unreachable).
  | 'store_unavailable'
  // Accounts: a name taken, the last admin.
  | 'conflict'
  // The lab's control API.
  | 'invalid_body'
  | 'unknown_node'
  | 'unknown_scenario';

/**
 * An error the API answers with its own status and code. Anything else that escapes a route is a
 * 500 `internal` with no detail: stack traces never reach a client.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
