import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import { roleAllows, type Role, type WhoAmI } from '@hqwatch/shared';
import { fetchWhoAmI, postLogin, postLogout } from '../api/auth-endpoints.ts';
import type { Failure } from '../api/request.ts';
import { socket } from '../state/socket.ts';

/** How soon the socket asks again when the server could not check its session (its database away). */
const RETRY_MS = 2_000;

/**
 * Who the server takes this browser for (`GET /api/auth/me`), signing in and out, and what the
 * live socket's refusals mean: "unauthorized" at the handshake, or the server closing the socket
 * (a revoked session or kiosk display), sends the page to its sign-in screen at once.
 */
export const useAuthStore = defineStore('auth', () => {
  /** Null until the server has answered once. */
  const whoami = shallowRef<WhoAmI | null>(null);
  const principal = computed(() => whoami.value?.principal ?? null);
  const known = computed(() => whoami.value !== null);
  /** Nobody signed in and no anonymous access: the sign-in screen replaces the page. */
  const needsLogin = computed(() => known.value && principal.value === null && !whoami.value?.anonymous);
  const role = computed<Role | null>(() => principal.value?.role ?? null);
  const can = (needed: Role) => roleAllows(role.value, needed);
  const checking = ref(false);
  let retry: ReturnType<typeof setTimeout> | undefined;

  /** A new socket handshake, so the server takes the socket for whoever is signed in now. */
  function reconnect(): void {
    socket.disconnect();
    socket.connect();
  }

  async function refresh(): Promise<void> {
    checking.value = true;
    const answer = await fetchWhoAmI();
    checking.value = false;
    if (answer.status !== 'ready') return;
    whoami.value = answer.data;
    // Access again (signed in in another tab, anonymous reading restored): the socket comes back.
    if ((answer.data.principal || answer.data.anonymous) && !socket.connected && !socket.active) socket.connect();
  }

  async function login(name: string, password: string): Promise<Failure | null> {
    const answer = await postLogin(name, password);
    if (answer.status !== 'ready') return answer;
    whoami.value = answer.data;
    reconnect();
    return null;
  }

  async function logout(): Promise<void> {
    await postLogout();
    await refresh();
    reconnect();
  }

  function onConnectError(err: Error): void {
    if (err.message === 'unauthorized') void refresh();
    else if (err.message === 'store_unavailable') {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), RETRY_MS);
    }
  }

  function onDisconnect(reason: string): void {
    // The server ends a socket on purpose when its access was taken away.
    if (reason === 'io server disconnect') void refresh();
  }

  socket.on('connect_error', onConnectError);
  socket.on('disconnect', onDisconnect);
  void refresh();

  onScopeDispose(() => {
    clearTimeout(retry);
    socket.off('connect_error', onConnectError);
    socket.off('disconnect', onDisconnect);
  });

  return { whoami, principal, known, needsLogin, role, can, checking, refresh, login, logout };
});
