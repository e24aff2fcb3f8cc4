import { describe, expect, it } from 'vitest';
import { MIN_ROTATE_MS, planWall } from '../src/wall/wall.ts';
import { siteLosses } from '../src/wall/site-losses.ts';
import { site } from './fixtures.ts';

describe('planWall: what /wall shows from its URL', () => {
  it('shows the overview alone by default', () => {
    expect(planWall({})).toEqual({ panes: ['overview'], rotateMs: null });
  });

  it('rotates through every pane with a duration alone', () => {
    expect(planWall({ rotate: '30s' })).toEqual({ panes: ['overview', 'sites', 'charts'], rotateMs: 30_000 });
  });

  it('takes plain seconds and a list of panes', () => {
    expect(planWall({ rotate: '20', views: 'sites,overview' })).toEqual({ panes: ['sites', 'overview'], rotateMs: 20_000 });
  });

  it('never rotates faster than can be read', () => {
    expect(planWall({ rotate: '1s' }).rotateMs).toBe(MIN_ROTATE_MS);
  });

  it('ignores unknown panes, bad durations and a single pane', () => {
    expect(planWall({ rotate: 'soon', views: 'overview,bogus' })).toEqual({ panes: ['overview'], rotateMs: null });
    expect(planWall({ rotate: '10s', views: 'sites' })).toEqual({ panes: ['sites'], rotateMs: null });
  });
});

describe('siteLosses: the wall tiles', () => {
  it('lists sites with a loss of their own, worst first, leaving out services lost everywhere', () => {
    const everywhere = ['configChanges', 'accountCodes', 'workgroups'] as const;
    const losses = siteLosses([
      site('a', [...everywhere]),
      site('b', ['voicemail', ...everywhere]),
      site('c', ['telephony', 'video', 'voicemail', ...everywhere]),
    ]);
    expect(losses.map((l) => [l.site.id, l.lost])).toEqual([
      ['c', ['telephony', 'video', 'voicemail']],
      ['b', ['voicemail']],
    ]);
  });
});
