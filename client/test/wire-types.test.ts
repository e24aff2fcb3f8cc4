/**
 * Type tests: the client's socket and REST calls are typed with the contract of @hqwatch/shared,
 * the same maps the server's socket is typed with. `npm run typecheck` fails when they drift apart.
 */
import type { Socket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { ClientToServerEvents, IncidentDetail, IncidentList, LiveState, ServerToClientEvents } from '@hqwatch/shared';
import type { fetchIncident, fetchIncidents, fetchReplay } from '../src/api/endpoints.ts';
import type { Fetched } from '../src/api/request.ts';
import type { HqSocket } from '../src/state/socket.ts';

describe('the client side of the wire', () => {
  it('types its socket with the shared event maps, the other way round from the server', () => {
    expectTypeOf<HqSocket>().toEqualTypeOf<Socket<ServerToClientEvents, ClientToServerEvents>>();
  });

  it('reads the REST payloads as the shared types', () => {
    expectTypeOf<ReturnType<typeof fetchIncidents>>().toEqualTypeOf<Promise<Fetched<IncidentList>>>();
    expectTypeOf<ReturnType<typeof fetchIncident>>().toEqualTypeOf<Promise<Fetched<IncidentDetail>>>();
    expectTypeOf<ReturnType<typeof fetchReplay>>().toEqualTypeOf<Promise<Fetched<LiveState>>>();
  });
});
