import type { Socket } from 'socket.io';
import { CONTRACT_MISMATCH, CONTRACT_VERSION, type ContractMismatch } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';

/**
 * Refuses the handshake of a dashboard built for another contract version (or none: one from
 * before versions existed), so it never misreads the wire: its `connect_error` carries
 * {@link CONTRACT_MISMATCH} and the server's version, and the dashboard reloads itself to get the
 * build this server serves.
 */
export function contractCheck(log: Logger) {
  return function contractCheck(socket: Socket, next: (err?: Error) => void): void {
    const auth: unknown = socket.handshake.auth;
    const version = typeof auth === 'object' && auth !== null ? (auth as { contractVersion?: unknown }).contractVersion : undefined;
    if (version === CONTRACT_VERSION) return next();
    log.info({ contractVersion: version ?? null, server: CONTRACT_VERSION }, 'dashboard of another contract version told to reload');
    const err = new Error(CONTRACT_MISMATCH) as Error & { data: ContractMismatch };
    err.data = { contractVersion: CONTRACT_VERSION };
    next(err);
  };
}
