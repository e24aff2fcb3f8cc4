import { z } from 'zod';
import type { ClientToServerEvents } from './events.ts';

/** What a client may send with one command: its arguments (the acknowledgement apart) and whether it must ask for an answer. */
export interface ClientCommandSchema {
  args: z.ZodTuple;
  ack: boolean;
}

/**
 * Every command a client may send on the socket, with the schema of its arguments. The server
 * drops any other event and any command whose arguments do not match. Typed against
 * `ClientToServerEvents`, so a command added to the contract without a schema does not compile.
 */
export const CLIENT_COMMANDS = {
  'state:sync': { args: z.tuple([]), ack: true },
} as const satisfies Record<keyof ClientToServerEvents, ClientCommandSchema>;

export type ClientCommand = keyof typeof CLIENT_COMMANDS;

/** Whether `name` is a command of the contract (own keys only: `__proto__` or `toString` are not). */
export function isClientCommand(name: unknown): name is ClientCommand {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CLIENT_COMMANDS, name);
}
