/**
 * The operator token for annotations lives in this tab's sessionStorage only: it survives a reload
 * but not the end of the session, and is never written to localStorage, a cookie or the URL.
 */
export const OPERATOR_TOKEN_KEY = 'hqwatch:operator-token';

export function readOperatorToken(storage: Pick<Storage, 'getItem'> | null = sessionStorageOrNull()): string {
  try {
    return storage?.getItem(OPERATOR_TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function writeOperatorToken(token: string, storage: Pick<Storage, 'setItem' | 'removeItem'> | null = sessionStorageOrNull()): void {
  try {
    if (token) storage?.setItem(OPERATOR_TOKEN_KEY, token);
    else storage?.removeItem(OPERATOR_TOKEN_KEY);
  } catch {
    // Storage refused (private mode, quota): the token lasts as long as the page.
  }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** What to tell the operator when an annotation is refused; the typed text is kept in every case. */
export function annotationErrorText(status: number, message: string): string {
  if (status === 401) return 'The operator token was refused. Check it and send again; your note is kept.';
  if (status === 413) return 'The note is too long (10 KB at most). Shorten it and send again.';
  if (status === 404) return 'This incident no longer exists on the server.';
  if (status === 0) return 'The server cannot be reached. Your note is kept; send it again when it is back.';
  return message;
}
