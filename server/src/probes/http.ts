import http from 'node:http';
import https from 'node:https';
import { judgeWithin, type Judged } from './deadline.ts';
import { describeError, hostAnsweredWith } from './errors.ts';
import { lookupHost } from './resolve.ts';
import { describeCertError, type ProbeTls } from './tls.ts';

/** 2xx and 3xx pass unless the probe lists its own codes. A 3xx is judged as is, never followed. */
function accepted(status: number, expectStatus: readonly number[] | undefined): boolean {
  return expectStatus ? expectStatus.includes(status) : status >= 200 && status < 400;
}

function describeHttpError(err: unknown): string {
  const cert = describeCertError(err);
  if (cert) return cert;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('HPE_')) return `malformed HTTP reply: ${(err as Error).message}`;
  if (code === 'ECONNRESET' && (err as Error).message === 'socket hang up') return 'connection closed without a reply';
  return describeError(err);
}

/**
 * Whether a failed request still heard from the host: refused or reset, a malformed reply, or a
 * TLS handshake that failed (the host spoke TLS, or something, back). A time-out, DNS failure or
 * unreachable network is silence.
 */
function answeredHttp(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return (
    hostAnsweredWith(err) || code.startsWith('HPE_') || code.startsWith('ERR_SSL_') || code === 'EPROTO' || describeCertError(err) !== null
  );
}

/**
 * HTTP GET judged by its status line alone. The response is dropped as soon as its headers arrive,
 * so a huge or endless body costs nothing beyond the first socket read (at most 64 KB, whatever the
 * kernel had buffered). No agent: every probe has its own connection, closed when it is judged, so
 * nothing lingers between rounds.
 */
export function probeHttp(
  url: string,
  expectStatus: readonly number[] | undefined,
  timeoutMs: number,
  tls: ProbeTls = { verify: true },
): Promise<Judged> {
  return judgeWithin(timeoutMs, (settle) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: lookupHost,
      headers: { 'user-agent': 'hqwatch', accept: '*/*', connection: 'close' },
      // Verified by default: a probe URL may carry credentials, and a check answered by whoever sits
      // in the middle says nothing of the appliance. Self-signed appliances name their CA in tls.ca.
      rejectUnauthorized: tls.verify,
      ...(tls.ca ? { ca: tls.ca } : {}),
    });
    request.on('response', (response) => {
      response.on('error', () => {}); // aborting below may report the cut body; the verdict is already made
      const status = response.statusCode ?? 0;
      if (accepted(status, expectStatus)) settle({ ok: true });
      else
        settle({
          ok: false,
          hostAnswered: true,
          error: `HTTP ${status} ${response.statusMessage || http.STATUS_CODES[status] || ''}`.trimEnd(),
        });
    });
    request.on('error', (err) => settle({ ok: false, error: describeHttpError(err), hostAnswered: answeredHttp(err) }));
    request.end();
    return () => request.destroy();
  });
}
