/**
 * How hqwatch's browser tests and benchmarks start Debian's Chromium: never a downloaded browser,
 * and none of the background traffic a closed network would refuse.
 */
export const CHROMIUM_PATH = process.env.HQWATCH_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
