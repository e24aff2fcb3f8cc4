import type { LabMonitorSettings } from './lab-config.ts';
import type { StatusDbDriver } from './status-db-driver.ts';

/**
 * Speed of the demo: one real-world minute plays in one second, so the 45-minute
 * failover-failback cycle shows a failover, the secondary serving, a failback and the primary
 * again within about 40 seconds of start.
 */
export const DEMO_SPEED = 60;

/** The vendor's 5–20 minute window, divided by the speed the scenario plays at. */
export function demoExpectedWindow(speed: number): { minMs: number; maxMs: number } {
  return { minMs: Math.round(300_000 / speed), maxMs: Math.round(1_200_000 / speed) };
}

/** Monitor settings for the demo: fast rounds so each transition shows within a couple of seconds. */
export function demoMonitorSettings(speed = DEMO_SPEED): LabMonitorSettings {
  return { intervalMs: 500, timeoutMs: 400, failAfter: 2, recoverAfter: 2, expectedWindow: demoExpectedWindow(speed) };
}

/** The scenario the demo loops. */
export const DEMO_SCENARIO = 'failover-failback';

/** The demo reads the status database it drives every second, so switches re-homing show as they happen. */
export function demoStatusDbSettings(driver: Pick<StatusDbDriver, 'url' | 'names'>): NonNullable<LabMonitorSettings['statusDb']> {
  return { url: driver.url, configDatabase: driver.names.config, intervalMs: 1_000, timeoutMs: 800 };
}
