/**
 * A process that loads nothing but Node and tsx, then tells its parent its RSS: what any
 * TypeScript process started the way the hqwatch CLI is costs before loading a line of hqwatch.
 */
import { tellParent } from './child.ts';

await new Promise((resolve) => setTimeout(resolve, 1_000));
await tellParent({ type: 'memory', rssBytes: process.memoryUsage().rss });
process.exit(0);
