/** The built-in lab: simulated ShoreWare servers, failover scenarios, and the commands that run them. */
export { labAddresses, isLoopback, LOCALHOST, type LabAddresses } from './addresses.ts';
export { NODE_STATES, type NodeState, type StateOptions } from './node-state.ts';
export { DEFAULT_PBX_PORTS, DEFAULT_WITNESS_PORT, type PbxPorts, type ServiceName } from './services.ts';
export type { LabListener } from './listeners.ts';
export type { SimNodeView, NodeEndpoints, LabRole } from './sim-node.ts';
export { startLab, UnknownNodeError, type Lab, type LabOptions } from './lab.ts';
export { demoTopology, smallTopology, type LabTopology, type LabNodeSpec, type LabSiteSpec } from './topology.ts';
export { LARGEST, largestTopology } from './largest-topology.ts';
export { labConfig, type LabMonitorSettings } from './lab-config.ts';
export { scenarioSchema, type Scenario, type ScenarioStep, type ScenarioExpectation } from './scenario.schema.ts';
export { BUILTIN_SCENARIOS, parseScenario, loadScenarioFile, resolveScenario, type ScenarioResult } from './scenarios.ts';
export { ScenarioRunner, type StepEvent, type RunnerStatus } from './scenario-runner.ts';
export { ScenarioPlayer } from './scenario-player.ts';
export { startControlApi, LAB_CONTROL_PORT, type ControlApi } from './control-api.ts';
export { DEMO_SPEED, DEMO_SCENARIO, demoExpectedWindow, demoMonitorSettings } from './demo.ts';
export {
  runLabCommand,
  startDemoLab,
  LAB_TOPOLOGIES,
  type LabTopologyName,
  type RunningLab,
  type DemoLab,
  type CommandFailure,
  type LabCommandOptions,
  type LabLog,
} from './lab-command.ts';
export { describeLab } from './describe.ts';
