import type { CDPSession } from 'playwright-core';

/**
 * The page's JS heap by kind of object, from a heap snapshot: compiled code (`code`: bytecode,
 * optimised machine code, their metadata), plain objects, arrays, strings, closures… summed by their
 * own size. Blink's objects (`native`) are left out: they are not in the JS heap the soak measures.
 * Taken at the soak's first and last samples, it says whether a growth is the application's
 * objects or V8's compiled code.
 */
export type HeapKinds = Record<string, number>;

/** The parts of a V8 heap snapshot's JSON read here. */
interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

/** Bytes by node type of one heap snapshot's JSON. */
function heapKindsOf(snapshot: HeapSnapshot): HeapKinds {
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const kinds: HeapKinds = {};
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const kind = types[0][snapshot.nodes[i + typeAt]!]!;
    if (kind === 'native' || kind === 'synthetic') continue;
    kinds[kind] = (kinds[kind] ?? 0) + snapshot.nodes[i + sizeAt]!;
  }
  return kinds;
}

/** Takes a heap snapshot of the page over CDP and sums it by kind. */
export async function heapKinds(cdp: CDPSession): Promise<HeapKinds> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return heapKindsOf(JSON.parse(chunks.join('')) as HeapSnapshot);
}

/** Kinds whose size changed by at least `minBytes` from `start` to `end`, largest change first, in KB. */
export function kindGrowth(start: HeapKinds, end: HeapKinds, minBytes = 10_000): { kind: string; kb: number }[] {
  return [...new Set([...Object.keys(start), ...Object.keys(end)])]
    .map((kind) => ({ kind, bytes: (end[kind] ?? 0) - (start[kind] ?? 0) }))
    .filter((k) => Math.abs(k.bytes) >= minBytes)
    .sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes))
    .map((k) => ({ kind: k.kind, kb: Math.round(k.bytes / 1000) }));
}
