import type { AlertMessage } from './alert-events.ts';
import type { RouteConfig } from './notify-config.ts';

/** One message for one channel: one row of the outbox. */
export interface Delivery {
  messageId: string;
  channelId: string;
}

/** Whether a route takes a message: its event, and a site or server it names, when it filters on them. */
export function routeMatches(route: RouteConfig, message: Pick<AlertMessage, 'event' | 'sites' | 'servers'>): boolean {
  if (route.events && !route.events.includes(message.event)) return false;
  if (route.sites && !route.sites.some((site) => message.sites.includes(site))) return false;
  if (route.servers && !route.servers.some((server) => message.servers.includes(server))) return false;
  return true;
}

/**
 * The channels a message of a thread goes to, each with the routes (by index) that picked it.
 * Routes pick by their filters; a reminder goes on the one route whose `repeat` made it, to the
 * channels of that route the thread already reached; and a resolve goes to every channel the
 * thread reached before, whatever the filters say: a trigger always gets its resolve.
 */
export function routeChannels(
  message: Pick<AlertMessage, 'event' | 'status' | 'sites' | 'servers'>,
  thread: { channels: readonly string[] },
  routes: readonly RouteConfig[],
  onlyRoute?: number,
): { channelId: string; routes: number[] }[] {
  const picked = new Map<string, number[]>();
  const add = (channelId: string, route: number | null) => {
    const list = picked.get(channelId) ?? [];
    if (route !== null && !list.includes(route)) list.push(route);
    picked.set(channelId, list);
  };
  if (onlyRoute !== undefined) {
    for (const channelId of routes[onlyRoute]?.channels ?? []) if (thread.channels.includes(channelId)) add(channelId, onlyRoute);
  } else {
    routes.forEach((route, r) => {
      if (routeMatches(route, message)) for (const channelId of route.channels) add(channelId, r);
    });
    if (message.status === 'resolve') for (const channelId of thread.channels) add(channelId, null);
  }
  return [...picked].map(([channelId, routeList]) => ({ channelId, routes: routeList }));
}
