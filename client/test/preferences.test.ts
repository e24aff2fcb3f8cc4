import { describe, expect, it } from 'vitest';
import { defaultPreferences, parsePreferences } from '../src/settings/preferences.ts';

describe('stored preferences', () => {
  const defaults = defaultPreferences(true);

  it('start dark when the system is dark, with every opt-in off', () => {
    expect(defaults).toEqual({ theme: 'dark', utc: false, notifications: false, sound: false });
    expect(defaultPreferences(false).theme).toBe('light');
  });

  it('read back what was saved', () => {
    const saved = { theme: 'light', utc: true, notifications: true, sound: true };
    expect(parsePreferences(JSON.stringify(saved), defaults)).toEqual(saved);
  });

  it.each([
    ['nothing stored', null],
    ['corrupt JSON', '{theme:'],
    ['not an object', '42'],
    ['wrong types', '{"theme":"purple","utc":"yes","sound":1}'],
  ])('fall back to the defaults field by field with %s', (_, raw) => {
    expect(parsePreferences(raw, defaults)).toEqual(defaults);
  });

  it('keep the good fields of a partly bad entry', () => {
    expect(parsePreferences('{"utc":true,"theme":"neon"}', defaults)).toEqual({ ...defaults, utc: true });
  });
});
