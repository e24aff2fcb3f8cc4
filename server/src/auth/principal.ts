import type { Context } from 'koa';
import type { PrincipalKind, PrincipalView, Role } from '@hqwatch/shared';
import type { SessionKind } from '../store/accounts.ts';

/** What a principal's access rests on, checked again whenever something may have been revoked. */
export type Credential =
  | { type: 'session'; id: string; kind: SessionKind; subject: string; createdAt: number }
  | { type: 'kiosk-token'; name: string; tokenHash: string }
  | { type: 'operator-token'; token: string }
  | { type: 'anonymous' };

/** Who a request or a socket is taken for. */
export interface Principal {
  kind: PrincipalKind;
  /** The user's or the kiosk display's name. */
  name: string | null;
  role: Role;
  credential: Credential;
}

export function viewOf(principal: Principal): PrincipalView {
  return { kind: principal.kind, name: principal.name, role: principal.role };
}

interface AuthState {
  principal?: () => Promise<Principal | null>;
}

/**
 * Who this request is from, found the first time a route asks (static files never ask, so they
 * cost no lookup); null when nobody and no anonymous access.
 */
export function principalOf(ctx: Pick<Context, 'state'>): Promise<Principal | null> {
  return (ctx.state as AuthState).principal?.() ?? Promise.resolve(null);
}

export function setPrincipalSource(ctx: Pick<Context, 'state'>, find: () => Promise<Principal | null>): void {
  let found: Promise<Principal | null> | null = null;
  (ctx.state as AuthState).principal = () => (found ??= find());
}
