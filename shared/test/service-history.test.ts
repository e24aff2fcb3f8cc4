import { describe, expect, it } from 'vitest';
import { deriveServiceEvents, describeServiceChange, nodeServiceStates, servicesFromStates, type NodeServiceStates } from '@hqwatch/shared';

const ctx = { incidentId: 'inc-1', hqState: 'failing-over' as const };
const AT = '2026-03-02T08:00:30.000Z';

describe('server service history', () => {
  it('records only what changed, node by node and service by service, first reads and services no longer listed included', () => {
    const before: NodeServiceStates = {
      primary: { TMS: { displayName: 'Telephony Management Service', state: 4 }, VMail: { displayName: 'Voice Mail', state: 4 } },
      'dvs-boston': { DRS: { displayName: 'Distributed Routing Service', state: 4 } },
    };
    const after: NodeServiceStates = {
      primary: { TMS: { displayName: 'Telephony Management Service', state: 1 }, VMail: { displayName: 'Voice Mail', state: 4 } },
      secondary: { TMS: { displayName: 'Telephony Management Service', state: 2 } },
    };
    const events = deriveServiceEvents(before, after, AT, ctx);
    expect(events.map((e) => [e.nodeId, e.service, e.from, e.to])).toEqual([
      ['primary', 'TMS', 4, 1],
      ['secondary', 'TMS', null, 2],
      ['dvs-boston', 'DRS', 4, null],
    ]);
    expect(events[2]).toMatchObject({
      type: 'server-service',
      at: AT,
      incidentId: 'inc-1',
      displayName: 'Distributed Routing Service',
      hqState: 'failing-over',
    });
    expect(deriveServiceEvents(after, after, AT, ctx)).toEqual([]);
    expect(describeServiceChange(events[0]!, 'HQ primary')).toBe(
      'Telephony Management Service (TMS) on HQ primary: running → stopped (HQ failing-over)',
    );
    expect(describeServiceChange(events[2]!)).toBe(
      'Distributed Routing Service (DRS) on dvs-boston: running → not listed (HQ failing-over)',
    );
  });

  it('rebuilds the server cards as the live path shows them: by display name, in words', () => {
    const live = {
      primary: [
        { name: 'TMS', displayName: 'Telephony Management Service', state: 4, stateText: 'running', running: true },
        { name: 'VMail', displayName: 'Voice Mail', state: 1, stateText: 'stopped', running: false },
      ],
    };
    const states = nodeServiceStates(live);
    expect(states).toEqual({
      primary: { TMS: { displayName: 'Telephony Management Service', state: 4 }, VMail: { displayName: 'Voice Mail', state: 1 } },
    });
    expect(servicesFromStates({ primary: { VMail: states.primary!.VMail!, TMS: states.primary!.TMS! }, empty: {} })).toEqual(live);
  });
});
