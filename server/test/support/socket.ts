import { io as connect, type Socket } from 'socket.io-client';
import { CONTRACT_VERSION, type ClientToServerEvents, type ServerToClientEvents, type WireState } from '@hqwatch/shared';

export type DashboardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client as a dashboard of this build opens it: WebSocket, with its contract version. */
export function connectDashboard(url: string, options: Parameters<typeof connect>[1] = {}): DashboardSocket {
  return connect(url, { transports: ['websocket'], auth: { contractVersion: CONTRACT_VERSION }, ...options });
}

/** `state:sync`: the full state in its wire form. */
export function syncWire(socket: DashboardSocket): Promise<WireState> {
  return new Promise((resolve) => socket.emit('state:sync', resolve));
}
