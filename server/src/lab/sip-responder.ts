/**
 * The SIP side of a simulated ShoreWare server: answers OPTIONS (the keep-alive every SIP monitor
 * sends) as RFC 3261 §8.2.6 and §11 require, so a real SIP probe accepts it.
 */

/** Compact header forms (RFC 3261 §7.3.3) that matter for a response. */
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id' };
const ECHOED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
const CANONICAL: Record<(typeof ECHOED)[number], string> = { via: 'Via', from: 'From', to: 'To', 'call-id': 'Call-ID', cseq: 'CSeq' };
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, REFER';
const REASONS: Record<number, string> = { 200: 'OK', 405: 'Method Not Allowed', 503: 'Service Unavailable' };

export interface SipAnswerOptions {
  /** 200 while serving, 503 when the call-control service is overloaded or stopping. */
  status: 200 | 503;
  /** Our To tag, added when the request's To has none (§8.2.6.2). */
  tag: string;
  server?: string;
}

interface SipRequest {
  method: string;
  headers: Map<(typeof ECHOED)[number], string[]>;
}

function parseRequest(text: string): SipRequest | null {
  const lines = text.split(/\r?\n/);
  const start = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(lines[0]?.trim() ?? '');
  if (!start) return null; // a response, or not SIP at all
  const headers = new Map<(typeof ECHOED)[number], string[]>();
  for (const line of lines.slice(1)) {
    if (line.trim() === '') break; // end of headers
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = (COMPACT[raw] ?? raw) as (typeof ECHOED)[number];
    if (!ECHOED.includes(name)) continue;
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { method: start[1], headers };
}

/**
 * The response to one datagram, or `null` when nothing must be sent: not a request, an ACK (never
 * answered), or a request without the headers a response has to echo.
 */
export function answerSip(datagram: string, options: SipAnswerOptions): string | null {
  const request = parseRequest(datagram);
  if (!request || request.method === 'ACK') return null;
  if (ECHOED.some((name) => !request.headers.has(name))) return null;
  const status = request.method === 'OPTIONS' ? options.status : 405;
  const lines = [`SIP/2.0 ${status} ${REASONS[status]}`];
  for (const name of ECHOED) {
    for (const value of request.headers.get(name) ?? []) {
      const withTag = name === 'to' && !/;\s*tag=/i.test(value) ? `${value};tag=${options.tag}` : value;
      lines.push(`${CANONICAL[name]}: ${withTag}`);
    }
  }
  lines.push(`Allow: ${ALLOW}`);
  if (status === 200) lines.push('Accept: application/sdp');
  if (status === 503) lines.push('Retry-After: 60');
  if (options.server) lines.push(`Server: ${options.server}`);
  lines.push('Content-Length: 0', '', '');
  return lines.join('\r\n');
}
