import { describe, expect, it } from 'vitest';
import { labelFitter, MEASURE_PX } from '../src/wall/label-fit.ts';
import { TILE_EM } from '../src/wall/map-layout.ts';

/** A monospace stand-in: every character 0.6 em wide. */
const EM_PER_CHAR = 0.6;
const sites = [
  { id: 'a', name: 'Boston' },
  { id: 'b', name: 'New York Midtown' },
  { id: 'c', name: 'Site 123' },
  { id: 'd', name: 'Denver 2', short: 'DEN2' },
];

describe('labelFitter: the tile labels at any font of the map, each text measured once', () => {
  it('shows names where they fit and abbreviations where not, the same as measuring at the font itself', () => {
    const measured: string[] = [];
    const fit = labelFitter(sites, (text) => {
      measured.push(text);
      return text.length * EM_PER_CHAR * MEASURE_PX;
    });
    const widthEm = 7;
    // Room for (7 − chrome) / 0.6 ≈ 8.8 characters, whatever the font: less the 1 % margin.
    const at20 = fit(20, widthEm);
    expect([...at20.labels]).toEqual([
      ['a', 'Boston'],
      ['b', 'NYM'],
      ['c', 'Site 123'],
      ['d', 'Denver 2'],
    ]);
    const room = (widthEm - TILE_EM.chrome) / EM_PER_CHAR;
    for (const s of sites) expect(at20.labels.get(s.id) === s.name).toBe(s.name.length * 1.01 <= room);
    // A narrower tile: more abbreviations, the configured one first.
    const narrow = fit(20, TILE_EM.width);
    expect([...narrow.labels.values()]).toEqual(['BOS', 'NYM', 'S123', 'DEN2']);
    expect(narrow.clipped).toEqual(new Set());
    // Another font, and the first again: nothing measured twice, the same labels kept.
    fit(31.5, widthEm);
    expect(fit(20, widthEm)).toBe(at20);
    expect(measured.length).toBe(new Set(measured).size);
  });

  it('marks an abbreviation too wide even so as cut at its tile’s edge', () => {
    const fit = labelFitter(
      [{ id: 'x', name: 'Wellington Harbour Road', short: 'WELLHR' }],
      (text) => text.length * EM_PER_CHAR * MEASURE_PX,
    );
    const { labels, clipped } = fit(16, TILE_EM.width);
    expect(labels.get('x')).toBe('WELLHR');
    expect(clipped).toEqual(new Set(['x']));
  });
});
