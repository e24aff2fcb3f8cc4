#!/usr/bin/env node
// Entry point of the `hqwatch` command: loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli.ts');
