import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../src/ui/styles/theme.css', import.meta.url), 'utf8');

/** The custom properties of the block whose selector contains `selector`. */
function tokens(selector: string): Map<string, string> {
  const block = new RegExp(`${selector.replace(/[[\]'"]/g, '\\$&')}[^{]*\\{([^}]*)\\}`).exec(css);
  if (!block) throw new Error(`no block for ${selector}`);
  return new Map([...block[1]!.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-2'],
  ['text-muted', 'surface'],
  ['text-muted', 'surface-2'],
  ['accent', 'surface'],
  ...['ok', 'warn', 'bad', 'unknown', 'muted', 'info'].map((tone): [string, string] => [`tone-${tone}-fg`, `tone-${tone}-bg`]),
  ...['ok', 'warn', 'bad', 'unknown', 'info'].map((tone): [string, string] => [`tone-${tone}-fg`, 'surface']),
  ...['alarm', 'warning', 'notice'].map((tone): [string, string] => [`banner-${tone}-fg`, `banner-${tone}-bg`]),
];

describe.each([
  ['light', ":root[data-theme='light']"],
  ['dark', ":root[data-theme='dark']"],
])('the %s theme meets WCAG AA contrast (4.5:1)', (_, selector) => {
  const theme = tokens(selector);
  it.each(PAIRS)('%s on %s', (fg, bg) => {
    const a = theme.get(fg);
    const b = theme.get(bg);
    expect(a, fg).toBeDefined();
    expect(b, bg).toBeDefined();
    expect(contrast(a!, b!)).toBeGreaterThanOrEqual(4.5);
  });
});

/** The wall is always dark: its tiles and every tone it may show, at the wall's own thresholds. */
describe('the wall (dark theme) is readable from across the room', () => {
  const theme = tokens(":root[data-theme='dark']");
  const get = (name: string) => {
    const value = theme.get(name);
    expect(value, name).toBeDefined();
    return value!;
  };
  const KINDS = ['telephony', 'voicemail', 'intersite', 'unknown', 'at-risk', 'ok'];

  it.each(KINDS)('the %s tile label is at least 7:1 on its fill (WCAG AAA)', (kind) => {
    expect(contrast(get(`wall-tile-${kind}-fg`), get(`wall-tile-${kind}-bg`))).toBeGreaterThanOrEqual(7);
  });

  it.each(KINDS.filter((kind) => kind !== 'ok'))('the %s tile edge stands out 3:1 from the page and the panels (WCAG 1.4.11)', (kind) => {
    for (const bg of ['bg', 'surface', 'surface-2']) expect(contrast(get(`wall-tile-${kind}-edge`), get(bg)), bg).toBeGreaterThanOrEqual(3);
  });

  it('the ring of a tile that just changed stands out 3:1 from the page and from every tile fill', () => {
    for (const bg of ['bg', 'surface', ...KINDS.map((kind) => `wall-tile-${kind}-bg`)])
      expect(contrast(get('wall-changed'), get(bg)), bg).toBeGreaterThanOrEqual(3);
  });

  it.each(['ok', 'warn', 'bad', 'unknown', 'muted', 'info'])('the %s tone is at least 4.5:1 on every wall background', (tone) => {
    for (const bg of ['bg', 'surface', 'surface-2', `tone-${tone}-bg`])
      expect(contrast(get(`tone-${tone}-fg`), get(bg)), bg).toBeGreaterThanOrEqual(4.5);
  });

  it('body and muted text are at least 7:1 on the page', () => {
    expect(contrast(get('text'), get('bg'))).toBeGreaterThanOrEqual(7);
    expect(contrast(get('text-muted'), get('bg'))).toBeGreaterThanOrEqual(7);
  });
});
