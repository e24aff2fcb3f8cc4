import { Adapter } from 'socket.io-adapter';

type Encode = (packet: unknown, options: { wsPreEncodedFrame?: unknown }) => unknown[];

/**
 * socket.io's in-memory adapter, whose broadcast already encodes a packet once and builds its
 * WebSocket frame once for every socket of the namespace; here that frame is one buffer rather
 * than a header and a payload. Each dashboard's socket then takes one write instead of a corked
 * pair (a writev): about a tenth less server CPU per change with thousands of dashboards
 * (`bench/server/fanout.bench.ts`). The bytes on the wire are the same.
 *
 * It post-processes socket.io-adapter's `_encode` (a private method of 2.5): `hub-wire.test.ts`
 * fails if a new version stops building the frame there.
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
}
