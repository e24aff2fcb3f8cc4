/**
 * An error the API answers with its own status and code. Anything else that escapes a route is a
 * 500 `internal` with no detail: stack traces never reach a client.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
