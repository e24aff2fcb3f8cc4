import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import { directWrite, type FrameSocket } from './direct-write.ts';

type PacketOptions = { preEncoded: true; volatile?: boolean; compress?: boolean; wsPreEncodedFrame?: unknown };
type Encode = (packet: unknown, options: PacketOptions) => unknown[];

/**
 * socket.io's in-memory adapter, whose broadcast already encodes a packet once and builds its
 * WebSocket frame once for every socket of the namespace. Two things differ, the bytes on the wire
 * being the same:
 * - that frame is one buffer rather than a header and a payload, so a socket takes one write
 *   instead of a corked pair (a writev);
 * - a dashboard on a settled WebSocket with nothing queued gets the frame written straight to its
 *   WebSocket (`direct-write.ts`) instead of through engine.io's packet, flush and drain cycle,
 *   which cost more server CPU per dashboard than the write itself. Anyone else (long-polling, an
 *   upgrade under way, packets queued before it, a compressed connection) goes through engine.io.
 * With 5,000 dashboards, measured in `bench/server/fanout.bench.ts`.
 *
 * It overrides `broadcast` and post-processes `_encode` (a private method of socket.io-adapter 2.5):
 * `hub-wire.test.ts` fails if a new version stops building the frame there.
 */
export class OneFrameAdapter extends Adapter {
  constructor(...args: ConstructorParameters<typeof Adapter>) {
    super(...args);
    const self = this as unknown as { _encode: Encode };
    const encode = self._encode.bind(this);
    self._encode = (packet, options) => {
      const encoded = encode(packet, options);
      const frame = options.wsPreEncodedFrame;
      if (Array.isArray(frame) && frame.length > 1 && frame.every((part) => Buffer.isBuffer(part)))
        options.wsPreEncodedFrame = [Buffer.concat(frame as Buffer[])];
      return encoded;
    };
  }

  override broadcast(packet: { nsp?: string }, opts: BroadcastOptions): void {
    const flags = opts.flags ?? {};
    // Volatile packets are engine.io's to drop when a transport is busy.
    if (flags.volatile) return super.broadcast(packet as never, opts);
    const packetOptions: PacketOptions = { preEncoded: true, compress: flags.compress };
    packet.nsp = this.nsp.name;
    const encoded = (this as unknown as { _encode: Encode })._encode(packet, packetOptions);
    const frame = oneBuffer(packetOptions.wsPreEncodedFrame);
    const apply = (this as unknown as { apply(opts: BroadcastOptions, each: (socket: unknown) => void): void }).apply;
    apply.call(this, opts, (socket) => {
      const s = socket as FrameSocket & { notifyOutgoingListeners?: (p: unknown) => void };
      s.notifyOutgoingListeners?.(packet);
      if (frame && directWrite(s.conn, frame)) return;
      s.client.writeToEngine(encoded, packetOptions);
    });
  }
}

function oneBuffer(frame: unknown): Buffer | null {
  return Array.isArray(frame) && frame.length === 1 && Buffer.isBuffer(frame[0]) ? frame[0] : null;
}
