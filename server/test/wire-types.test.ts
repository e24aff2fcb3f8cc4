/**
 * Type tests: the server's socket and REST answers are typed with the contract of @hqwatch/shared
 * and nothing of their own. `npm run typecheck` fails when they drift apart.
 */
import type { Server } from 'socket.io';
import { describe, expectTypeOf, it } from 'vitest';
import type { ClientToServerEvents, LiveState, ServerToClientEvents, StateDelta } from '@hqwatch/shared';
import type { HqwatchIo } from '../src/hub/hub.ts';
import type { LiveSource } from '../src/monitor/live-source.ts';

describe('the server side of the wire', () => {
  it('types its socket.io server with the shared event maps', () => {
    expectTypeOf<HqwatchIo>().toEqualTypeOf<Server<ClientToServerEvents, ServerToClientEvents>>();
  });

  it('serves GET /api/state and state:sync from the LiveState the monitor keeps', () => {
    expectTypeOf<ReturnType<LiveSource['current']>>().toEqualTypeOf<LiveState>();
    expectTypeOf<Parameters<Parameters<LiveSource['subscribe']>[0]>>().toEqualTypeOf<[StateDelta]>();
  });
});
