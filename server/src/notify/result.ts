/**
 * How one delivery attempt ended: delivered; failed but worth another try (a timeout, a refused
 * connection, a 5xx, a 429 with the wait the receiver asked for); or refused for good (a 4xx: a
 * wrong URL or key, a payload the receiver rejects), which no retry can cure.
 */
export type SendResult = { ok: true; status: number | null } | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

/** The words of an error, without the stack: what is logged and kept with the delivery. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  // fetch's "fetch failed" says nothing; its cause says what happened (ECONNREFUSED 127.0.0.1:9000).
  if (cause instanceof Error && cause.message && cause.message !== err.message) return `${err.message}: ${cause.message}`;
  return err.message;
}

/** `text` with each secret replaced by `***`, longest first. */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), text);
}
