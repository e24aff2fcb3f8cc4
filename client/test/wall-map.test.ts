import { describe, expect, it } from 'vitest';
import type { SiteDirectory } from '@hqwatch/shared';
import { deriveAbbreviation, tileLabels } from '../src/wall/abbreviate.ts';
import { planMap, TILE_EM } from '../src/wall/map-layout.ts';
import { isRecent, recordChanges, RECENT_MS } from '../src/wall/recent-changes.ts';
import { groupSites } from '../src/wall/site-groups.ts';
import { tileKind } from '../src/wall/tile-loss.ts';
import { pageDwellMs } from '../src/wall/useMapPages.ts';
import { READING } from '../src/wall/reading-rule.ts';
import { site } from './fixtures.ts';

describe('tileKind: a tile is coloured by its worst loss', () => {
  it.each([
    [['telephony', 'video', 'voicemail'], 'telephony'],
    [['video'], 'telephony'],
    [['voicemail', 'drsIntersite'], 'voicemail'],
    [['drsIntersite', 'configChanges'], 'intersite'],
    [['configChanges', 'accountCodes', 'workgroups'], 'ok'],
  ] as const)('%j → %s', (down, kind) => {
    expect(tileKind(site('a', [...down]))).toBe(kind);
  });

  it('says unknown when an own service is unknown, but not for IM (unknown by rule)', () => {
    const s = site('a');
    s.services.im = { status: 'unknown' };
    expect(tileKind(s)).toBe('ok');
    s.services.voicemail = { status: 'unknown' };
    expect(tileKind(s)).toBe('unknown');
  });

  it('says at risk in a split brain, never plain OK', () => {
    const s = site('a');
    s.services.telephony = { status: 'ok', atRisk: true };
    expect(tileKind(s)).toBe('at-risk');
  });
});

describe('abbreviations: what a tile says when the name does not fit (README)', () => {
  it.each([
    ['Site 123', 'S123'],
    ['New York Midtown', 'NYM'],
    ['Denver 2', 'D2'],
    ['Boston', 'BOS'],
    ['São Paulo', 'SP'],
    ['42', '42'],
  ])('%s → %s', (name, short) => expect(deriveAbbreviation(name)).toBe(short));

  it('shows the name where it fits, the configured short name, then a unique derived one', () => {
    const labels = tileLabels(
      [
        { id: 'a', name: 'Oslo' },
        { id: 'b', name: 'Boston', short: 'BOS' },
        { id: 'c', name: 'Bostonia' },
        { id: 'd', name: 'Bostwick' },
      ],
      (text) => text.length <= 4,
    );
    expect([...labels.values()]).toEqual(['Oslo', 'BOS', 'BOS', 'BOS2']);
  });
});

describe('groupSites: the map and the losses by home server', () => {
  const directory: SiteDirectory = {
    groups: [
      { id: 'hq', name: 'HQ' },
      { id: 'dvs-a', name: 'Denver DVS' },
      { id: 'dvs-b', name: 'Empty DVS' },
    ],
    sites: [
      { id: 'hq', name: 'Headquarters', home: 'hq', voicemail: 'hq', userCount: 400 },
      { id: 'denver', name: 'Denver', home: 'dvs-a', voicemail: 'hq', userCount: 100 },
      { id: 'aurora', name: 'Aurora', home: 'dvs-a', voicemail: 'dvs-a' },
    ],
  };

  it('groups by home server, HQ first, leaves empty groups out, and counts sites and users per loss', () => {
    const groups = groupSites(
      [site('hq', ['telephony', 'video', 'voicemail']), site('denver', ['voicemail']), site('aurora'), site('orphan', ['drsIntersite'])],
      directory,
    );
    expect(groups.map((g) => [g.id, g.sites.map((s) => s.id)])).toEqual([
      ['hq', ['hq']],
      ['dvs-a', ['denver', 'aurora']],
      ['(unknown)', ['orphan']],
    ]);
    expect(groups[0]!.telephony).toEqual({ sites: 1, users: 400 });
    expect(groups[1]!.voicemail).toEqual({ sites: 1, users: 100 });
    expect(groups[1]!.telephony).toEqual({ sites: 0, users: null });
    expect(groups[2]!.intersite).toEqual({ sites: 1, users: null });
  });

  it('puts every site in one group until the directory is read', () => {
    const groups = groupSites([site('hq'), site('denver')], null);
    expect(groups.map((g) => [g.name, g.sites.length])).toEqual([['All sites', 2]]);
  });
});

describe('recordChanges: tiles that changed in the last minute', () => {
  it('marks a change, not a first sight, and forgets it after a minute', () => {
    const first = recordChanges(new Map(), [{ id: 'a', signature: 'ok:' }], 1_000);
    expect(isRecent(first.get('a'), 1_000)).toBe(false);
    const second = recordChanges(first, [{ id: 'a', signature: 'telephony:telephony' }], 5_000);
    expect(isRecent(second.get('a'), 5_000)).toBe(true);
    expect(isRecent(second.get('a'), 5_000 + RECENT_MS - 1)).toBe(true);
    expect(isRecent(second.get('a'), 5_000 + RECENT_MS)).toBe(false);
    const same = recordChanges(second, [{ id: 'a', signature: 'telephony:telephony' }], 9_000);
    expect(same.get('a')).toBe(second.get('a'));
  });

  it('keeps only the sites there are', () => {
    const record = recordChanges(new Map([['gone', { signature: 'ok:', changedAt: null }]]), [{ id: 'a', signature: 'ok:' }], 0);
    expect([...record.keys()]).toEqual(['a']);
  });
});

describe('planMap: every site on as few pages as the screen allows', () => {
  const largest = [{ id: 'hq', count: 100 }, ...Array.from({ length: 16 }, (_, i) => ({ id: `dvs-${i}`, count: 25 }))];
  const total = (pages: { from: number; to: number }[][]) => pages.flat().reduce((n, b) => n + b.to - b.from, 0);

  it('places every site once, inside the box, without overlaps', () => {
    const box = { width: 2800, height: 1100 };
    const layout = planMap(box, largest, READING.tileFonts(2160))!;
    expect(total(layout.pages)).toBe(500);
    for (const page of layout.pages) {
      const rects = page.map((b) => ({
        ...b,
        height: layout.header + Math.ceil((b.to - b.from) / b.cols) * (layout.tile.height + layout.tile.gap) - layout.tile.gap,
      }));
      for (const r of rects) {
        expect(r.x + r.width).toBeLessThanOrEqual(box.width + 0.01);
        expect(r.y + r.height).toBeLessThanOrEqual(box.height + 0.01);
      }
      for (const a of rects)
        for (const b of rects)
          if (a !== b) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
    }
  });

  it('uses the largest font that fits one page, never below the rule', () => {
    const fonts = READING.tileFonts(2160);
    const big = planMap({ width: 3000, height: 1200 }, [{ id: 'hq', count: 12 }], fonts)!;
    expect(big.pages).toHaveLength(1);
    expect(big.font).toBeGreaterThan(fonts.maxFont - 0.5);
    // A few sites get wide tiles: their names fit.
    expect(big.widthEm).toBe(10);
    const dense = planMap({ width: 2800, height: 1100 }, largest, fonts)!;
    expect(dense.pages).toHaveLength(1);
    expect(dense.font).toBeGreaterThanOrEqual(fonts.minFont);
    expect(dense.tile.width).toBeCloseTo(dense.font * TILE_EM.width);
  });

  it('turns pages on a small screen: at most three, so all are shown within 30 s', () => {
    const layout = planMap({ width: 1350, height: 480 }, largest, READING.tileFonts(1080))!;
    expect(layout.pages.length).toBeGreaterThan(1);
    expect(layout.pages.length).toBeLessThanOrEqual(READING.maxPages);
    expect(total(layout.pages)).toBe(500);
    expect(pageDwellMs(layout.pages.length) * layout.pages.length).toBeLessThanOrEqual(30_000);
    expect(pageDwellMs(layout.pages.length)).toBeGreaterThanOrEqual(5_000);
  });

  it('splits a group larger than a page, and says so', () => {
    const layout = planMap({ width: 400, height: 300 }, [{ id: 'hq', count: 200 }], {
      maxFont: 20,
      minFont: 16,
      maxPages: 3,
      floorFont: 12,
    })!;
    expect(total(layout.pages)).toBe(200);
    expect(layout.pages.flat().filter((b) => b.continued).length).toBeGreaterThan(0);
  });
});
