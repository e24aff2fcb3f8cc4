import { afterEach, describe, expect, it } from 'vitest';
import { keepBelowBanner } from '../../src/app/banner-offset.ts';

describe('keepBelowBanner: focus scrolled into view stops below the sticky banner', () => {
  afterEach(() => document.documentElement.removeAttribute('style'));

  it('pads the root’s scrolling by the banner’s height, rounded up, and follows it', () => {
    const root = document.documentElement;
    keepBelowBanner(root, 79.2);
    expect(root.style.scrollPaddingTop).toBe('calc(80px + 0.5rem)');
    keepBelowBanner(root, 0);
    expect(root.style.scrollPaddingTop).toBe('calc(0px + 0.5rem)');
  });

  it('sets nothing the page inherits: a custom property on the root restyled all 500 sites’ rows each time the banner came or went', () => {
    const root = document.documentElement;
    keepBelowBanner(root, 120);
    // The root's inline style holds the scroll padding alone: no custom property, nothing inherited.
    expect([...Array.from({ length: root.style.length }, (_, i) => root.style.item(i))]).toEqual(['scroll-padding-top']);
  });
});
