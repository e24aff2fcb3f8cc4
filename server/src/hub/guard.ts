import { CLIENT_COMMANDS, isClientCommand } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import { clientAddress } from '../http/client-address.ts';
import { logThrottle } from '../http/log-throttle.ts';
import { TokenBuckets } from '../http/rate-limit.ts';
import type { HqwatchIo } from './hub.ts';
import type { HandshakeLimits } from './engine-guard.ts';
import { SyncGate, type SyncLimits } from './sync-gate.ts';
import { afterWrite, type EngineConn } from './written.ts';

/** What one socket may send. */
export interface SocketLimits {
  /** Packets per second once the burst is spent, and the burst. Past it packets are dropped. */
  packetsPerSecond: number;
  packetBurst: number;
  /** Packets dropped for the rate in a row after which the socket is disconnected. */
  dropsBeforeDisconnect: number;
  sync: SyncLimits;
  handshakes: HandshakeLimits;
}

export interface GuardStats {
  /** Packets dropped: unknown events, bad arguments, over the rate. */
  dropped: number;
  disconnected: number;
  sync: SyncGate['stats'];
}

type Packet = unknown[];

/**
 * Everything a client sends passes here before any handler: unknown events and commands whose
 * arguments do not match `CLIENT_COMMANDS` are dropped, each socket has a packet rate (a socket
 * that keeps flooding is disconnected), and `state:sync` goes through the {@link SyncGate}. Wired
 * as socket.io per-socket middleware, so the handlers in `hub.ts` see only valid commands.
 */
export function guardSockets(
  io: HqwatchIo,
  limits: SocketLimits,
  trustedProxies: () => readonly string[],
  log: Logger,
): { stats: GuardStats } {
  const gate = new SyncGate(limits.sync);
  const packets = new TokenBuckets(limits.packetBurst, limits.packetsPerSecond);
  const stats: GuardStats = { dropped: 0, disconnected: 0, sync: gate.stats };
  const shouldLog = logThrottle(60_000);

  io.on('connection', (socket) => {
    const address = clientAddress(socket.request, trustedProxies());
    let overRate = 0;
    // Packets already received when the socket is dropped still come through; they cost nothing more.
    let dropped = false;
    const drop = (why: string) => {
      stats.dropped += 1;
      if (shouldLog(why)) log.warn({ socket: socket.id, why }, 'socket packet dropped; more are not logged for a minute');
    };
    const disconnect = (why: string) => {
      if (dropped) return;
      dropped = true;
      stats.disconnected += 1;
      if (shouldLog(`disconnect ${why}`)) log.warn({ socket: socket.id, why }, 'socket disconnected');
      socket.disconnect(true);
    };
    socket.on('disconnect', () => gate.forget(socket.id));

    socket.use((packet: Packet, next) => {
      if (dropped) return;
      if (packets.take(socket.id) > 0) {
        drop('over the packet rate');
        if (++overRate >= limits.dropsBeforeDisconnect) disconnect('kept sending over the packet rate');
        return;
      }
      overRate = 0;
      const [name, ...rest] = packet;
      if (!isClientCommand(name)) return drop('unknown event');
      const command = CLIENT_COMMANDS[name];
      const ack = rest.at(-1);
      const hasAck = typeof ack === 'function';
      if (command.ack !== hasAck) return drop(`${name}: ${command.ack ? 'no acknowledgement asked' : 'unexpected acknowledgement'}`);
      const args = hasAck ? rest.slice(0, -1) : rest;
      if (!command.args.safeParse(args).success) return drop(`${name}: arguments do not match the contract`);
      if (name !== 'state:sync') return next();
      gate.ask(
        socket.id,
        address,
        (release) => {
          // The handler answers through this acknowledgement; the slot is held until the answer is written.
          packet[packet.length - 1] = (...answer: unknown[]) =>
            afterWrite(socket.conn as unknown as EngineConn, () => (ack as (...a: unknown[]) => void)(...answer), release);
          next();
        },
        () => disconnect('did not take its snapshot in time'),
      );
    });
  });
  return { stats };
}
