import { describe, expect, it } from 'vitest';
import { buildOptions, newSipIds, parseSipResponse } from '../src/probes/sip-message.ts';

const ids = { callId: 'abc123@hqwatch', branch: 'z9hG4bKdeadbeef', fromTag: 'f00d' };
const request = buildOptions({ host: '10.1.0.10', port: 5441, localAddress: '10.9.0.1', localPort: 40000, ids });

const head = [
  'Via: SIP/2.0/UDP 10.9.0.1:40000;branch=z9hG4bKdeadbeef;rport=40000;received=10.9.0.1',
  'From: "hqwatch" <sip:hqwatch@10.9.0.1:40000>;tag=f00d',
  'To: <sip:10.1.0.10:5441>;tag=uas',
  'Call-ID: abc123@hqwatch',
  'CSeq: 1 OPTIONS',
];
const reply = (status: string, headers = head, tail = 'Content-Length: 0\r\n\r\n') =>
  Buffer.from(`${status}\r\n${headers.join('\r\n')}\r\n${tail}`);

describe('SIP OPTIONS request (RFC 3261 §11)', () => {
  const lines = request.split('\r\n');

  it.each([
    ['request line', /^OPTIONS sip:10\.1\.0\.10:5441 SIP\/2\.0$/],
    ['Via with the magic-cookie branch and rport', /^Via: SIP\/2\.0\/UDP 10\.9\.0\.1:40000;branch=z9hG4bKdeadbeef;rport$/],
    ['Max-Forwards', /^Max-Forwards: 70$/],
    ['To without a tag', /^To: <sip:10\.1\.0\.10:5441>$/],
    ['From with a tag', /^From: "hqwatch" <sip:hqwatch@10\.9\.0\.1:40000>;tag=f00d$/],
    ['Call-ID', /^Call-ID: abc123@hqwatch$/],
    ['CSeq', /^CSeq: 1 OPTIONS$/],
    ['Accept', /^Accept: application\/sdp$/],
    ['Content-Length', /^Content-Length: 0$/],
  ])('has the %s', (_name, pattern) => {
    expect(lines.some((line) => pattern.test(line))).toBe(true);
  });

  it('ends with an empty line and has no body', () => {
    expect(request.endsWith('\r\n\r\n')).toBe(true);
    expect(request.indexOf('\r\n\r\n')).toBe(request.length - 4);
  });

  it('brackets IPv6 addresses in URIs and Via', () => {
    const v6 = buildOptions({ host: '::1', port: 5060, localAddress: '::1', localPort: 5000, ids });
    expect(v6).toMatch(/^OPTIONS sip:\[::1\]:5060 SIP\/2\.0\r\n/);
    expect(v6).toContain('Via: SIP/2.0/UDP [::1]:5000;');
  });

  it('makes fresh identifiers for every transaction', () => {
    const a = newSipIds();
    const b = newSipIds();
    expect(a.branch).toMatch(/^z9hG4bK[0-9a-f]+$/);
    expect(new Set([a.callId, b.callId]).size).toBe(2);
    expect(new Set([a.branch, b.branch]).size).toBe(2);
    expect(a.fromTag.length).toBeGreaterThanOrEqual(8);
  });
});

describe('SIP response parsing', () => {
  it('reads the status, reason and headers of a well-formed reply', () => {
    const parsed = parseSipResponse(reply('SIP/2.0 200 OK'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.response.code).toBe(200);
    expect(parsed.response.reason).toBe('OK');
    expect(parsed.response.headers.get('call-id')).toEqual(['abc123@hqwatch']);
  });

  it('expands compact header names and joins folded lines', () => {
    const compact = [
      'v: SIP/2.0/UDP 10.9.0.1:40000;branch=z9hG4bKdeadbeef',
      'f: <sip:a@b>;tag=1',
      't: <sip:c@d>',
      'i: xyz@hqwatch',
      'CSeq: 1',
      ' OPTIONS',
    ];
    const parsed = parseSipResponse(reply('SIP/2.0 503 Service Unavailable', compact, 'l: 0\r\n\r\n'));
    expect(parsed.ok && parsed.response.headers.get('call-id')).toEqual(['xyz@hqwatch']);
    expect(parsed.ok && parsed.response.headers.get('cseq')).toEqual(['1 OPTIONS']);
    expect(parsed.ok && parsed.response.reason).toBe('Service Unavailable');
  });

  it('accepts a body that matches Content-Length', () => {
    const parsed = parseSipResponse(reply('SIP/2.0 200 OK', head, 'Content-Length: 4\r\n\r\nv=0\n'));
    expect(parsed.ok).toBe(true);
  });

  it.each([
    { name: 'an empty datagram', data: Buffer.alloc(0), error: 'empty datagram' },
    { name: 'binary noise', data: Buffer.from([0, 1, 2, 255, 254]), error: /^not a SIP status line: "\\u0000\\u0001\\u0002/ },
    { name: 'an HTTP reply', data: reply('HTTP/1.1 200 OK'), error: 'not a SIP status line: "HTTP/1.1 200 OK"' },
    { name: 'a request', data: Buffer.from(request), error: /^a request, not a response: "OPTIONS sip:/ },
    { name: 'a status code out of range', data: reply('SIP/2.0 999 Odd'), error: /^not a SIP status line/ },
    {
      name: 'a reply cut before the blank line',
      data: reply('SIP/2.0 200 OK', head, 'Content-Le'),
      error: 'truncated: no blank line after the headers',
    },
    {
      name: 'a body shorter than Content-Length',
      data: reply('SIP/2.0 200 OK', head, 'Content-Length: 100\r\n\r\nv=0'),
      error: 'truncated: body has 3 of 100 bytes',
    },
    {
      name: 'a bad Content-Length',
      data: reply('SIP/2.0 200 OK', head, 'Content-Length: lots\r\n\r\n'),
      error: 'bad content-length "lots"',
    },
    {
      name: 'a header line without a colon',
      data: reply('SIP/2.0 200 OK', [...head, 'garbage here']),
      error: 'bad header line "garbage here"',
    },
    {
      name: 'a reply without Call-ID',
      data: reply(
        'SIP/2.0 200 OK',
        head.filter((h) => !h.startsWith('Call-ID')),
      ),
      error: 'missing call-id header',
    },
    {
      name: 'a reply without CSeq',
      data: reply(
        'SIP/2.0 200 OK',
        head.filter((h) => !h.startsWith('CSeq')),
      ),
      error: 'missing cseq header',
    },
  ])('rejects $name with its reason', ({ data, error }) => {
    const parsed = parseSipResponse(data);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    if (typeof error === 'string') expect(parsed.error).toBe(error);
    else expect(parsed.error).toMatch(error);
  });

  it('still reads the Call-ID of a truncated reply, so the failure reaches its probe', () => {
    const parsed = parseSipResponse(reply('SIP/2.0 200 OK', head, 'Content-Length: 100\r\n\r\n'));
    expect(parsed).toMatchObject({ ok: false, callId: 'abc123@hqwatch' });
  });
});
