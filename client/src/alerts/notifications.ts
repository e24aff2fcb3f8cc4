import type { Alert } from './alerts.ts';

export function notificationsSupported(): boolean {
  return typeof Notification === 'function';
}

/** Asks for permission if it was never asked; true when notifications may be shown. */
export async function requestNotificationPermission(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  if (Notification.permission === 'default') await Notification.requestPermission();
  return Notification.permission === 'granted';
}

export function showNotification(alert: Alert): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  const notification = new Notification(alert.title, {
    body: alert.body,
    tag: alert.tag,
    icon: '/favicon.svg',
    // An overrun stays on screen until someone has seen it.
    requireInteraction: alert.kind === 'overrun' || alert.kind === 'dual-active',
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
