import { randomUUID } from 'node:crypto';
import net from 'node:net';

/** The identifiers that make one OPTIONS transaction unique (RFC 3261 §8.1.1). */
export interface SipIds {
  callId: string;
  /** Starts with the RFC 3261 magic cookie `z9hG4bK`. */
  branch: string;
  fromTag: string;
}

export interface OptionsRequest {
  /** Host (name or address) and port the request is addressed to. */
  host: string;
  port: number;
  /** Address and port replies should come back to, written in Via and Contact. */
  localAddress: string;
  localPort: number;
  ids: SipIds;
}

export function newSipIds(): SipIds {
  const id = randomUUID().replaceAll('-', '');
  return { callId: `${randomUUID()}@hqwatch`, branch: `z9hG4bK${id.slice(0, 20)}`, fromTag: id.slice(20) };
}

function uriHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/**
 * An OPTIONS request as RFC 3261 §11 shows it. The To header has no tag: a request outside a dialog
 * must not carry one (§8.1.1.2); the answering server adds its own. `rport` (RFC 3581) asks the
 * server to answer the port the request came from, which is the shared socket's.
 */
export function buildOptions(request: OptionsRequest): string {
  const target = `${uriHost(request.host)}:${request.port}`;
  const local = `${uriHost(request.localAddress)}:${request.localPort}`;
  const { callId, branch, fromTag } = request.ids;
  return (
    `OPTIONS sip:${target} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${local};branch=${branch};rport\r\n` +
    `Max-Forwards: 70\r\n` +
    `To: <sip:${target}>\r\n` +
    `From: "hqwatch" <sip:hqwatch@${local}>;tag=${fromTag}\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: 1 OPTIONS\r\n` +
    `Contact: <sip:hqwatch@${local}>\r\n` +
    `Accept: application/sdp\r\n` +
    `User-Agent: hqwatch\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

export interface SipResponse {
  code: number;
  reason: string;
  /** Header values by lower-case long name (compact forms expanded), in order of appearance. */
  headers: Map<string, string[]>;
}

export type ParsedResponse = { ok: true; response: SipResponse } | { ok: false; error: string; callId?: string };

/** RFC 3261 §7.3.3 compact header names. */
const COMPACT: Record<string, string> = {
  i: 'call-id',
  v: 'via',
  f: 'from',
  t: 'to',
  l: 'content-length',
  m: 'contact',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

/** A response copies these from the request (RFC 3261 §8.2.6.2); without them it answers nothing. */
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];

const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]*)$/;
const HEADER_LINE = /^([A-Za-z0-9!%*_+`'~.-]+)[ \t]*:[ \t]*(.*)$/;
const CALL_ID_ANYWHERE = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im;

/** A short, printable quote of untrusted text for an error message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Byte offset of the blank line that ends the headers, and its length; CRLF per the RFC, bare LF tolerated. */
function headerEnd(data: Buffer): { at: number; length: number } | null {
  const crlf = data.indexOf('\r\n\r\n');
  if (crlf >= 0) return { at: crlf, length: 4 };
  const lf = data.indexOf('\n\n');
  return lf >= 0 ? { at: lf, length: 2 } : null;
}

/**
 * Parses one UDP datagram as a SIP response. Anything else (a request, binary noise, a datagram cut
 * short) is an error with a reason, plus the Call-ID when one could still be read, so the failure can
 * be given to the transaction it answers.
 */
export function parseSipResponse(data: Buffer): ParsedResponse {
  const fail = (error: string): ParsedResponse => {
    const callId = CALL_ID_ANYWHERE.exec(data.toString('latin1'))?.[1];
    return callId ? { ok: false, error, callId } : { ok: false, error };
  };
  if (data.length === 0) return fail('empty datagram');
  const end = headerEnd(data);
  const head = data.toString('utf8', 0, end ? end.at : data.length);
  const lines = head.split(/\r?\n/);
  const statusLine = lines[0] ?? '';
  const status = STATUS_LINE.exec(statusLine);
  if (!status) {
    if (/^[A-Z]+ \S+ SIP\/2\.0$/.test(statusLine)) return fail(`a request, not a response: ${quote(statusLine)}`);
    return fail(`not a SIP status line: ${quote(statusLine)}`);
  }
  if (!end) return fail('truncated: no blank line after the headers');

  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && last) {
      // A folded line continues the previous header (RFC 3261 §7.3.1).
      last[last.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const header = HEADER_LINE.exec(line);
    if (!header) return fail(`bad header line ${quote(line)}`);
    const name = header[1].toLowerCase();
    const key = COMPACT[name] ?? name;
    last = headers.get(key) ?? [];
    last.push(header[2].trim());
    headers.set(key, last);
  }
  const missing = REQUIRED.find((name) => !headers.get(name)?.[0]);
  if (missing) return fail(`missing ${missing} header`);

  const lengthText = headers.get('content-length')?.[0];
  if (lengthText !== undefined) {
    if (!/^\d+$/.test(lengthText)) return fail(`bad content-length ${quote(lengthText)}`);
    const bodyBytes = data.length - end.at - end.length;
    const declared = Number(lengthText);
    if (bodyBytes < declared) return fail(`truncated: body has ${bodyBytes} of ${declared} bytes`);
  }
  return { ok: true, response: { code: Number(status[1]), reason: status[2].trim(), headers } };
}
