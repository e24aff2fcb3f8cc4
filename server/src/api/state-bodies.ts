import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { LiveState } from '@hqwatch/shared';
import type { LiveSource } from '../monitor/live-source.ts';

export type Coding = 'br' | 'gzip' | 'identity';

/** The body of `GET /api/state` for one state, and its compressed forms as they are first asked for. */
export interface StateBody {
  state: LiveState;
  /** Names this state among all this process will serve: the boot, the seq and the state's version. */
  tag: string;
  json: Buffer;
  coded: Partial<Record<Exclude<Coding, 'identity'>, Promise<Buffer>>>;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Brotli at quality 5 and gzip at level 6: within a few milliseconds for the largest topology, in
 * zlib's thread pool rather than on the monitor's event loop, for most of what the best levels save.
 */
function compress(json: Buffer, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  return coding === 'br'
    ? brotli(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } })
    : gzipped(json, { level: 6 });
}

/**
 * `GET /api/state` served from one body per state: serialised once, each compression made once
 * and shared by every request that asks for it while the state is current.
 */
export function createStateBodies(source: LiveSource) {
  // A restart starts seq over: the boot keeps tags of two runs apart.
  const boot = randomBytes(4).toString('hex');
  let version = 0;
  let entry: StateBody | null = null;
  return {
    current(): StateBody {
      const state = source.current();
      if (entry?.state !== state) {
        version += 1;
        entry = { state, tag: `${boot}.${state.seq}.${version}`, json: Buffer.from(JSON.stringify(state)), coded: {} };
      }
      return entry;
    },
    /** The body in `coding`; the identity if compressing failed. */
    async body(body: StateBody, coding: Coding): Promise<Buffer> {
      if (coding === 'identity') return body.json;
      const coded = (body.coded[coding] ??= compress(body.json, coding));
      return coded.catch(() => body.json);
    },
  };
}
