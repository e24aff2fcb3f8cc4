import type { KioskCreated, KioskView, Role, UserView, WhoAmI } from '@hqwatch/shared';
import { request, type Fetched } from './request.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

const isWhoAmI = (body: unknown): body is WhoAmI => isRecord(body) && 'principal' in body && 'anonymous' in body;
const isUser = (body: unknown): body is UserView => isRecord(body) && typeof body.name === 'string' && typeof body.role === 'string';
const isUsers = (body: unknown): body is UserView[] => Array.isArray(body) && body.every(isUser);
const isKiosks = (body: unknown): body is KioskView[] =>
  Array.isArray(body) && body.every((k) => isRecord(k) && typeof k.name === 'string');
const isKioskCreated = (body: unknown): body is KioskCreated =>
  isRecord(body) && typeof body.token === 'string' && typeof body.path === 'string';
const isNothing = (body: unknown): body is null => body === null;

/** The outcome of reloading the config file: applied (changed or not), or refused with its errors. */
export type ReloadOutcome = { ok: true; changed: boolean } | { ok: false; errors: { path: string; message: string }[] };
const isReload = (body: unknown): body is ReloadOutcome => isRecord(body) && typeof body.ok === 'boolean';

const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const userPath = (name: string) => `/api/admin/users/${encodeURIComponent(name)}`;
const kioskPath = (name: string) => `/api/admin/kiosks/${encodeURIComponent(name)}`;

export const fetchWhoAmI = (): Promise<Fetched<WhoAmI>> => request('/api/auth/me', isWhoAmI, { cache: 'no-store' });
export const postLogin = (name: string, password: string): Promise<Fetched<WhoAmI>> =>
  request('/api/auth/login', isWhoAmI, json('POST', { name, password }));
export const postLogout = (): Promise<Fetched<null>> => request('/api/auth/logout', isNothing, { method: 'POST' });

export const fetchUsers = (): Promise<Fetched<UserView[]>> => request('/api/admin/users', isUsers);
export const addUser = (name: string, role: Role, password: string): Promise<Fetched<UserView>> =>
  request('/api/admin/users', isUser, json('POST', { name, role, password }));
export const updateUser = (name: string, change: { role?: Role; password?: string }): Promise<Fetched<UserView>> =>
  request(userPath(name), isUser, json('PATCH', change));
export const removeUser = (name: string): Promise<Fetched<null>> => request(userPath(name), isNothing, { method: 'DELETE' });

export const fetchKiosks = (): Promise<Fetched<KioskView[]>> => request('/api/admin/kiosks', isKiosks);
export const addKiosk = (name: string): Promise<Fetched<KioskCreated>> =>
  request('/api/admin/kiosks', isKioskCreated, json('POST', { name }));
export const revokeKiosk = (name: string): Promise<Fetched<null>> => request(kioskPath(name), isNothing, { method: 'DELETE' });

export const reloadConfig = (): Promise<Fetched<ReloadOutcome>> => request('/api/admin/config/reload', isReload, { method: 'POST' });
