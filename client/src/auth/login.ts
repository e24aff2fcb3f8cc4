import type { Failure } from '../api/request.ts';

/** What to tell someone whose sign-in was refused, in words they can act on. */
export function loginErrorText(failure: Pick<Failure, 'httpStatus' | 'message'>): string {
  if (failure.httpStatus === 401) return 'Wrong name or password.';
  if (failure.httpStatus === 429) return 'Too many failed sign-ins. Try again in a few minutes.';
  if (failure.httpStatus === 404) return 'This server keeps no accounts: it has no history store.';
  if (failure.httpStatus === 0) return 'The server cannot be reached.';
  return failure.message;
}

/**
 * Where to go after signing in: a path of this site from `?next=`, never another site's URL
 * (`//evil.example`, `https://…`), so a link cannot send someone elsewhere after their login.
 */
export function nextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next.startsWith('/login') ? '/' : next;
}

/** Pages the server renders itself (the status pages for users): reached by a full load, not by the dashboard's router. */
export function isServerPage(path: string): boolean {
  return path === '/status' || path.startsWith('/status/') || path.startsWith('/status?');
}

/** What a wall says when its kiosk link was refused (`?kiosk=refused`, set by the server). */
export function kioskNotice(query: Record<string, unknown>): string | null {
  return query.kiosk === 'refused'
    ? 'This display’s link was not accepted: it may have been revoked. Ask an admin for a new kiosk link.'
    : null;
}
