import { PRIMARY_ID, SECONDARY_ID, type HqwatchConfig, type ProbeConfig } from '@hqwatch/shared';

/** The probes to run for one node each round. */
export interface NodePlan {
  id: string;
  address: string;
  probes: ProbeConfig[];
}

/** Every node of the config with its probes, HQ pair first. */
export function probePlan(config: HqwatchConfig): NodePlan[] {
  const { primary, secondary } = config.headquarters;
  return [
    { id: PRIMARY_ID, address: primary.address, probes: primary.probes },
    { id: SECONDARY_ID, address: secondary.address, probes: secondary.probes },
    ...config.servers.map((server) => ({ id: server.id, address: server.address, probes: server.probes })),
  ];
}
