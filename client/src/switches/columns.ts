import { SERVICE_KEYS, type ServiceKey, type StatusDbView } from '@hqwatch/shared';
import { SWITCHES_COLUMN } from './switches.ts';

export type MatrixColumn = ServiceKey | typeof SWITCHES_COLUMN;

/** Whether the matrix shows a Switches column (a status database is configured), and whether its figures are old. */
export function switchesColumn(view: StatusDbView | undefined): { stale: boolean } | null {
  return view ? { stale: view.status !== 'ok' && view.readAt !== null } : null;
}

/** The matrix's data columns in order: the services, then Switches when shown. */
export function matrixColumns(withSwitches: boolean): readonly MatrixColumn[] {
  return withSwitches ? [...SERVICE_KEYS, SWITCHES_COLUMN] : SERVICE_KEYS;
}
