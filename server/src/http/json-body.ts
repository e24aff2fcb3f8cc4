import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `the request body is over ${limit} bytes`);
}

/**
 * Reads a JSON request body of at most `limit` bytes. A larger body is refused as soon as its
 * declared length or its bytes so far pass the limit; the rest is discarded unread so the answer
 * still reaches the client.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      req.resume();
      reject(tooLarge(limit));
    };
    const onEnd = () => {
      cleanup();
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'invalid_json', 'the request body is not valid JSON'));
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
