export * from './types.ts';
export * from './events.ts';
export * from './duration.ts';
export * from './delta.ts';
export * from './config.ts';
export * from './engine-types.ts';
export * from './node-status.ts';
export * from './hq-machine.ts';
