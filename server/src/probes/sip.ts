import { judgeWithin, type Judged } from './deadline.ts';
import { describeError, hostAnsweredWith } from './errors.ts';
import { resolveAddress } from './resolve.ts';
import { buildOptions, newSipIds } from './sip-message.ts';
import { addTransaction, removeTransaction, sipEndpoint, type SipTransaction } from './sip-transport.ts';

/**
 * SIP OPTIONS over UDP: the server answers with an accepted code (200 unless the probe lists its own).
 * Only a reply from the probed address and port counts; a garbled one fails with its reason. Any
 * reply, and an ICMP port-unreachable (a closed port on a live host), show the host is up.
 */
export function probeSip(host: string, port: number, acceptCodes: readonly number[], timeoutMs: number): Promise<Judged> {
  return judgeWithin(timeoutMs, (settle) => {
    let tx: SipTransaction | undefined;
    let released = false;
    const send = async (): Promise<void> => {
      const target = await resolveAddress(host);
      const endpoint = await sipEndpoint(target.address, port, target.family);
      if (released) return;
      const ids = newSipIds();
      const message = buildOptions({ host, port, localAddress: endpoint.localAddress, localPort: endpoint.port, ids });
      tx = { callId: ids.callId, address: target.address, port, acceptCodes, settle };
      addTransaction(endpoint, tx);
      endpoint.socket.send(message, (err) => {
        if (err) settle({ ok: false, error: describeError(err), hostAnswered: hostAnsweredWith(err) });
      });
    };
    send().catch((err: unknown) => settle({ ok: false, error: describeError(err) }));
    return () => {
      released = true;
      if (tx) removeTransaction(tx);
    };
  });
}
