/**
 * The parts of a socket.io socket, its engine.io connection and its `ws` WebSocket that a direct
 * write reads. All are private to engine.io 6 and ws 8; `hub-direct-write.test.ts` fails if a new
 * version stops providing them.
 */
export interface FrameSocket {
  conn: {
    readyState: string;
    upgrading: boolean;
    writeBuffer: unknown[];
    transport: {
      name: string;
      socket?: {
        readyState: number;
        _extensions?: Record<string, unknown>;
        _sender?: { sendFrame?: (list: Buffer[], cb?: (err?: Error) => void) => void; _queue?: unknown[] };
      };
    };
  };
  client: { writeToEngine(encoded: unknown[], options: object): void };
}

const WS_OPEN = 1;

/**
 * Writes a ready WebSocket frame straight to the WebSocket of `conn`, skipping engine.io's packet,
 * flush and drain cycle; false, writing nothing, where that would change what the client receives
 * or in what order:
 * - the connection is not open, is upgrading, or is not on a WebSocket (long-polling);
 * - engine.io holds packets not yet written (they must go first): a frame already handed to the
 *   socket is ahead of this one either way;
 * - the WebSocket compresses (permessage-deflate: the frame is uncompressed) or queues frames of
 *   its own.
 */
export function directWrite(conn: FrameSocket['conn'], frame: Buffer): boolean {
  if (conn.readyState !== 'open' || conn.upgrading || conn.writeBuffer.length > 0) return false;
  const { transport } = conn;
  const ws = transport.socket;
  if (transport.name !== 'websocket' || !ws || ws.readyState !== WS_OPEN) return false;
  if (ws._extensions && Object.keys(ws._extensions).length > 0) return false;
  const sender = ws._sender;
  if (typeof sender?.sendFrame !== 'function' || (sender._queue?.length ?? 0) > 0) return false;
  sender.sendFrame([frame]);
  return true;
}
