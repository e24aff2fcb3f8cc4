import type { EventEmitter } from 'node:events';

/** The parts of an engine.io socket (`socket.conn`) this module listens to. */
export interface EngineConn extends EventEmitter {
  transport: EventEmitter;
}

/**
 * Runs `write` (which sends packets on `conn`, e.g. a socket.io acknowledgement) and calls `done`
 * once what it sent has left the process: handed to the kernel for a WebSocket (the transport's
 * `drain`), or written as a polling response. A client that does not read keeps it in flight, which
 * is the point: that is what holds memory. `done` is also called if the connection closes first,
 * or at once when `write` sent nothing. Returns a function that stops waiting (without `done`).
 */
export function afterWrite(conn: EngineConn, write: () => void, done: () => void): () => void {
  let packet: unknown;
  let finished = false;
  let transport: EventEmitter | null = null;
  const finish = () => {
    if (finished) return;
    stop();
    done();
  };
  const onCreate = (created: unknown) => {
    packet ??= created;
  };
  // Flushed with the batch that holds it: from then on the transport's next drain is its own.
  const onFlush = (buffer: readonly unknown[]) => {
    if (packet === undefined || !buffer.includes(packet)) return;
    conn.off('flush', onFlush);
    transport = conn.transport;
    transport.once('drain', finish);
  };
  const stop = () => {
    finished = true;
    conn.off('packetCreate', onCreate);
    conn.off('flush', onFlush);
    conn.off('close', finish);
    transport?.off('drain', finish);
  };
  conn.on('packetCreate', onCreate);
  conn.on('flush', onFlush);
  conn.once('close', finish);
  try {
    write();
  } finally {
    conn.off('packetCreate', onCreate);
  }
  if (packet === undefined) finish();
  return stop;
}
