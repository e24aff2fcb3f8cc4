import type { Server } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';

/** A bound listener of the lab, as `lab.listeners()` reports it. */
export interface LabListener {
  nodeId: string;
  service: string;
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  /** The live socket, so a check can read its real `address()`. */
  socket: Server | UdpSocket;
}

/** The errno code of a failed bind, if any. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Listens and resolves with the bound port, or rejects with the bind error. */
export function listenTcp(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound ? bound.port : port);
    });
  });
}

export function bindUdp(socket: UdpSocket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

/** Stops accepting at once; resolves when the listener is gone (its connections must be destroyed by the caller). */
export function closeTcp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export function closeUdp(socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
