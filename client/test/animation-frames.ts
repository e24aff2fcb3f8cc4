import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Animation frames run by the test, one at a time: `requestAnimationFrame` is stubbed for every test
 * of the file that calls this. `frame()` runs the callbacks due; `waiting()` counts those asked for.
 */
export function stubAnimationFrames(): { frame: () => void; waiting: () => number } {
  let frames: FrameRequestCallback[] = [];
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', () => {});
  });
  afterEach(() => vi.unstubAllGlobals());
  return {
    frame() {
      const due = frames;
      frames = [];
      for (const callback of due) callback(0);
    },
    waiting: () => frames.length,
  };
}
