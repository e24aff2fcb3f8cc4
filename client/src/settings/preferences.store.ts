import { defineStore } from 'pinia';
import { reactive, toRefs, watch } from 'vue';
import { PREFERENCES_KEY, defaultPreferences, parsePreferences, type Preferences } from './preferences.ts';

function readStorage(): string | null {
  try {
    return localStorage.getItem(PREFERENCES_KEY);
  } catch {
    return null;
  }
}

function writeStorage(preferences: Preferences): void {
  try {
    localStorage.setItem(PREFERENCES_KEY, JSON.stringify(preferences));
  } catch {
    // Private mode or a full quota: preferences then last for this page only.
  }
}

/** The viewer's choices, kept in localStorage: theme, UTC times, notifications and sound. */
export const usePreferencesStore = defineStore('preferences', () => {
  const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  const preferences = reactive(parsePreferences(readStorage(), defaultPreferences(prefersDark)));

  watch(preferences, () => writeStorage({ ...preferences }), { deep: true });

  function toggleTheme(): void {
    preferences.theme = preferences.theme === 'dark' ? 'light' : 'dark';
  }

  return { ...toRefs(preferences), toggleTheme };
});
