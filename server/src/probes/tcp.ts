import net from 'node:net';
import { judgeWithin, type Judged } from './deadline.ts';
import { describeError, hostAnsweredWith } from './errors.ts';
import { lookupHost } from './resolve.ts';

/**
 * TCP connect: the port accepts connections. The connection is closed at once, gracefully. A
 * refused connection fails the probe but shows the host is up (its RST answered).
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<Judged> {
  return judgeWithin(timeoutMs, (settle) => {
    const socket = net.connect({ host, port, lookup: lookupHost });
    socket.once('connect', () => settle({ ok: true }));
    // `on`, not `once`: a second error after the verdict must still find a listener.
    socket.on('error', (err) => settle({ ok: false, error: describeError(err), hostAnswered: hostAnsweredWith(err) }));
    return () => socket.destroy();
  });
}
