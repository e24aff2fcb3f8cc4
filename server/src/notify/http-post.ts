import { retryAfterMs } from './backoff.ts';
import { errorText, type SendResult } from './result.ts';

/** The most of a receiver's answer read: enough for an error message, never a memory hazard. */
const MAX_ANSWER = 2_048;

const USER_AGENT = 'hqwatch-notify/1';

/**
 * POSTs a JSON body and says how it went. Redirects are not followed (a webhook that moved is a
 * configuration to fix, and following it could send the alert somewhere unintended); the attempt
 * is abandoned after `timeoutMs`, connection and answer included.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  nowMs: () => number,
): Promise<SendResult> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    if (signal.aborted) return { ok: false, retry: true, error: `no answer within ${timeoutMs} ms` };
    return { ok: false, retry: true, error: errorText(err) };
  }
  let answer = '';
  try {
    answer = (await response.text()).slice(0, MAX_ANSWER);
  } catch (err) {
    if (response.ok) return { ok: false, retry: true, error: `the answer broke off: ${errorText(err)}` };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const said = answer.trim().replace(/\s+/g, ' ').slice(0, 200);
  const error = `HTTP ${status}${said ? `: ${said}` : ''}`;
  if (status === 429) {
    const wait = retryAfterMs(response.headers.get('retry-after'), nowMs());
    return { ok: false, retry: true, error, ...(wait !== null && { retryAfterMs: wait }) };
  }
  if (status >= 300 && status < 400) return { ok: false, retry: false, error: `${error} (redirected: update the URL)` };
  if (status === 408 || status === 425 || status >= 500) {
    const wait = retryAfterMs(response.headers.get('retry-after'), nowMs());
    return { ok: false, retry: true, error, ...(wait !== null && { retryAfterMs: wait }) };
  }
  return { ok: false, retry: false, error };
}
