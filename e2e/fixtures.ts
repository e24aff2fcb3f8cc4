import { test as base, expect } from '@playwright/test';
import { Harness } from './harness.ts';

let nextOctet = 100 + Math.floor(Math.random() * 50);

/** Each test gets its own `hqwatch demo` process on its own loopback addresses. */
export const test = base.extend<{ hq: Harness }>({
  // Playwright requires the destructuring pattern for the (unused) fixtures argument.
  // eslint-disable-next-line no-empty-pattern
  hq: async ({}, use) => {
    const harness = new Harness({ octet: nextOctet++ });
    await harness.startServer();
    await harness.waitForState((s) => s.hq.state === 'primary-active');
    await use(harness);
    await harness.dispose();
  },
});

export { expect };
