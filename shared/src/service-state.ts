import type { Reason } from './reason-codes.ts';
import { renderReason } from './reason-render.ts';
import type { ServiceKey, ServiceState, ServiceStatus } from './types.ts';

/**
 * One service of one site as the LiveState carries it: its status, its reason as data
 * (`reasonCode`, `params`) and in words (`reason`, rendered by the one renderer).
 */
export function serviceState(status: ServiceStatus, reason: Reason, site: string, service: ServiceKey): ServiceState {
  return { status, reason: renderReason(reason.code, reason.params, { site, service }), reasonCode: reason.code, params: reason.params };
}
