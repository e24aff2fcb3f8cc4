/**
 * Type tests of the wire contract of DESIGN.md: `npm run typecheck` fails when a field is renamed,
 * removed or given another type (the assertions cost nothing at run time). Fields added beyond the
 * design (extensions) are allowed; the ones it names are pinned.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { applyWireDelta, decodeState } from '@hqwatch/shared';
import type {
  ClientToServerEvents,
  ReasonCode,
  ReasonParams,
  SocketAuth,
  WireDelta,
  WireState,
  HqState,
  LiveState,
  NodeView,
  ServerToClientEvents,
  ServiceKey,
  SiteView,
} from '@hqwatch/shared';

describe('LiveState, as DESIGN.md gives it', () => {
  it('has its top-level fields', () => {
    expectTypeOf<LiveState>().toHaveProperty('seq').toEqualTypeOf<number>();
    expectTypeOf<LiveState>().toHaveProperty('at').toEqualTypeOf<string>();
    expectTypeOf<LiveState>().toHaveProperty('nodes').toExtend<readonly NodeView[]>();
    expectTypeOf<LiveState>().toHaveProperty('sites').toExtend<readonly SiteView[]>();
    expectTypeOf<LiveState['incident']>().toEqualTypeOf<{ id: string; startedAt: string } | null>();
    expectTypeOf<LiveState['monitor']>().toHaveProperty('healthy').toEqualTypeOf<boolean>();
    expectTypeOf<LiveState['monitor']>().toHaveProperty('reason').toEqualTypeOf<string | undefined>();
  });

  it('names the eight HQ states and says where HQ is and which window is open', () => {
    expectTypeOf<HqState>().toEqualTypeOf<
      'starting' | 'primary-active' | 'failing-over' | 'secondary-active' | 'failing-back' | 'hq-down' | 'dual-active' | 'monitor-blind'
    >();
    expectTypeOf<LiveState['hq']['state']>().toEqualTypeOf<HqState>();
    expectTypeOf<LiveState['hq']['since']>().toEqualTypeOf<string>();
    expectTypeOf<LiveState['hq']['activeAddress']>().toEqualTypeOf<string | null>();
    type Window = NonNullable<LiveState['hq']['window']>;
    expectTypeOf<null>().toExtend<LiveState['hq']['window']>();
    expectTypeOf<Window['kind']>().toEqualTypeOf<'failover' | 'failback' | 'outage'>();
    expectTypeOf<Window>().toHaveProperty('startedAt').toEqualTypeOf<string>();
    expectTypeOf<Window>().toHaveProperty('elapsedMs').toEqualTypeOf<number>();
    expectTypeOf<Window>().toHaveProperty('expectedMinMs').toEqualTypeOf<number>();
    expectTypeOf<Window>().toHaveProperty('expectedMaxMs').toEqualTypeOf<number>();
    expectTypeOf<Window>().toHaveProperty('overrun').toEqualTypeOf<boolean>();
  });

  it('describes each node with its status and probes', () => {
    expectTypeOf<NodeView['role']>().toEqualTypeOf<'hq-primary' | 'hq-secondary' | 'distributed'>();
    expectTypeOf<NodeView['status']>().toEqualTypeOf<'serving' | 'reachable' | 'down' | 'unknown'>();
    expectTypeOf<NodeView>().toHaveProperty('flapping').toEqualTypeOf<boolean>();
    expectTypeOf<NodeView>().toHaveProperty('since').toEqualTypeOf<string>();
    type Probe = NodeView['probes'][number];
    expectTypeOf<Probe['kind']>().toExtend<string>();
    expectTypeOf<Probe>().toHaveProperty('target').toEqualTypeOf<string>();
    expectTypeOf<Probe>().toHaveProperty('ok').toEqualTypeOf<boolean>();
    expectTypeOf<Probe>().toHaveProperty('latencyMs').toEqualTypeOf<number | null>();
    expectTypeOf<Probe>().toHaveProperty('error').toEqualTypeOf<string | undefined>();
  });

  it('gives every site every service with a status and a reason', () => {
    expectTypeOf<ServiceKey>().toEqualTypeOf<
      'telephony' | 'video' | 'im' | 'voicemail' | 'drsIntersite' | 'configChanges' | 'accountCodes' | 'workgroups'
    >();
    expectTypeOf<SiteView['callManagerAddress']>().toEqualTypeOf<string | null>();
    expectTypeOf<keyof SiteView['services']>().toEqualTypeOf<ServiceKey>();
    type Service = SiteView['services'][ServiceKey];
    expectTypeOf<Service['status']>().toEqualTypeOf<'ok' | 'down' | 'unknown' | 'n/a'>();
    expectTypeOf<Service>().toHaveProperty('reason').toEqualTypeOf<string | undefined>();
  });
});

describe('the socket events', () => {
  it('are past tense from the server, each carrying seq, and imperative from the client with an ack', () => {
    expectTypeOf<ServerToClientEvents['state:changed']>().parameters.toEqualTypeOf<[WireDelta]>();
    expectTypeOf<WireDelta>().toHaveProperty('seq').toEqualTypeOf<number>();
    expectTypeOf<ClientToServerEvents['state:sync']>().parameters.toEqualTypeOf<[(state: WireState) => void]>();
  });

  it('carry the compact wire, which decodes into the LiveState REST serves', () => {
    expectTypeOf(decodeState).returns.toEqualTypeOf<LiveState>();
    expectTypeOf(applyWireDelta).returns.toEqualTypeOf<LiveState>();
    expectTypeOf<WireState>().toHaveProperty('contractVersion').toEqualTypeOf<number>();
    expectTypeOf<SocketAuth>().toHaveProperty('contractVersion').toEqualTypeOf<number>();
  });
});

describe('reasons beside their words (REST)', () => {
  it('gives every service its reason code and parameters beside the sentence', () => {
    type Service = SiteView['services'][ServiceKey];
    expectTypeOf<Service>().toHaveProperty('reasonCode').toEqualTypeOf<ReasonCode | undefined>();
    expectTypeOf<Service>().toHaveProperty('params').toEqualTypeOf<ReasonParams | undefined>();
    expectTypeOf<LiveState>().toHaveProperty('contractVersion').toEqualTypeOf<number>();
  });
});
