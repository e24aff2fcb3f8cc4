import { describe, expect, it } from 'vitest';
import { answerSip } from '../src/lab/sip-responder.ts';

const options = (branch = 'z9hG4bK776asdhds', to = '<sip:hq@127.0.1.10:5441>') =>
  [
    'OPTIONS sip:hq@127.0.1.10:5441 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:40000;branch=${branch};rport`,
    'Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKproxy',
    'Max-Forwards: 70',
    `To: ${to}`,
    'From: <sip:hqwatch@127.0.0.1>;tag=1928301774',
    'Call-ID: a84b4c76e66710@127.0.0.1',
    'CSeq: 63104 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

const headers = (text: string, name: string) =>
  text
    .split('\r\n')
    .filter((l) => l.startsWith(`${name}: `))
    .map((l) => l.slice(name.length + 2));

describe('SIP OPTIONS responder', () => {
  it('answers 200 OK echoing every Via in order, From, Call-ID and CSeq', () => {
    const reply = answerSip(options(), { status: 200, tag: 'abc123' })!;
    expect(reply.startsWith('SIP/2.0 200 OK\r\n')).toBe(true);
    expect(headers(reply, 'Via')).toEqual([
      'SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK776asdhds;rport',
      'SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKproxy',
    ]);
    expect(headers(reply, 'From')).toEqual(['<sip:hqwatch@127.0.0.1>;tag=1928301774']);
    expect(headers(reply, 'Call-ID')).toEqual(['a84b4c76e66710@127.0.0.1']);
    expect(headers(reply, 'CSeq')).toEqual(['63104 OPTIONS']);
    expect(headers(reply, 'Content-Length')).toEqual(['0']);
    expect(reply.endsWith('\r\n\r\n')).toBe(true);
  });

  it('adds its tag to To, and keeps a tag the request already has', () => {
    expect(headers(answerSip(options(), { status: 200, tag: 'abc123' })!, 'To')).toEqual(['<sip:hq@127.0.1.10:5441>;tag=abc123']);
    const tagged = answerSip(options(undefined, '<sip:hq@127.0.1.10>;tag=theirs'), { status: 200, tag: 'abc123' })!;
    expect(headers(tagged, 'To')).toEqual(['<sip:hq@127.0.1.10>;tag=theirs']);
  });

  it('answers 503 with Retry-After when told to', () => {
    const reply = answerSip(options(), { status: 503, tag: 't' })!;
    expect(reply.startsWith('SIP/2.0 503 Service Unavailable\r\n')).toBe(true);
    expect(headers(reply, 'Retry-After')).toEqual(['60']);
  });

  it('understands compact header names and bare LF line ends', () => {
    const compact = [
      'OPTIONS sip:x@127.0.0.1 SIP/2.0',
      'v: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKc',
      'f: <sip:a@b>;tag=1',
      't: <sip:x@127.0.0.1>',
      'i: cid',
      'CSeq: 1 OPTIONS',
      '',
      '',
    ].join('\n');
    const reply = answerSip(compact, { status: 200, tag: 'q' })!;
    expect(headers(reply, 'Via')).toEqual(['SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKc']);
    expect(headers(reply, 'To')).toEqual(['<sip:x@127.0.0.1>;tag=q']);
    expect(headers(reply, 'Call-ID')).toEqual(['cid']);
  });

  it('answers other methods 405 with Allow, and never answers ACK, responses or garbage', () => {
    const invite = options().replace('OPTIONS sip', 'INVITE sip').replace('63104 OPTIONS', '1 INVITE');
    expect(answerSip(invite, { status: 200, tag: 't' })).toMatch(/^SIP\/2\.0 405 Method Not Allowed\r\n[\s\S]*Allow: .*OPTIONS/);
    expect(answerSip(options().replace('OPTIONS sip', 'ACK sip'), { status: 200, tag: 't' })).toBeNull();
    expect(answerSip('SIP/2.0 200 OK\r\nVia: x\r\n\r\n', { status: 200, tag: 't' })).toBeNull();
    expect(answerSip('hello', { status: 200, tag: 't' })).toBeNull();
    expect(answerSip(options().replace(/Call-ID: .*\r\n/, ''), { status: 200, tag: 't' })).toBeNull();
  });
});
