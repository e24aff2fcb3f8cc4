export type Theme = 'light' | 'dark';

export interface Preferences {
  theme: Theme;
  /** Times shown in UTC instead of the browser's zone. */
  utc: boolean;
  /** Browser notifications when a window opens, closes or overruns. */
  notifications: boolean;
  /** A short tone with those notifications. */
  sound: boolean;
}

export const PREFERENCES_KEY = 'hqwatch.preferences';

export function defaultPreferences(prefersDark: boolean): Preferences {
  return { theme: prefersDark ? 'dark' : 'light', utc: false, notifications: false, sound: false };
}

/**
 * Preferences from their stored JSON, field by field: a missing, corrupt or foreign value falls
 * back to the default for that field alone, so a bad entry never breaks the page.
 */
export function parsePreferences(raw: string | null, defaults: Preferences): Preferences {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    // A corrupt entry is ignored; the defaults stand.
  }
  const flag = (key: keyof Preferences, fallback: boolean) => (typeof stored[key] === 'boolean' ? (stored[key] as boolean) : fallback);
  return {
    theme: stored.theme === 'light' || stored.theme === 'dark' ? stored.theme : defaults.theme,
    utc: flag('utc', defaults.utc),
    notifications: flag('notifications', defaults.notifications),
    sound: flag('sound', defaults.sound),
  };
}
