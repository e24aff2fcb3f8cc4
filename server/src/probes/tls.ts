import { readFile } from 'node:fs/promises';

/** How an http probe checks its server's certificate, the CA file read. */
export interface ProbeTls {
  verify: boolean;
  ca?: Buffer;
}

const CA_TTL_MS = 60_000;
const caFiles = new Map<string, { at: number; pem: Promise<Buffer> }>();

/**
 * The CA file of a probe, read at most once a minute per path: a replaced file is picked up without
 * a restart, and a round never waits on the disk more than once a minute. A file that cannot be
 * read rejects with a message naming the option.
 */
export function readCaFile(file: string, now = Date.now()): Promise<Buffer> {
  const cached = caFiles.get(file);
  if (cached && now - cached.at < CA_TTL_MS) return cached.pem;
  const pem = readFile(file).catch((err: NodeJS.ErrnoException) => {
    caFiles.delete(file);
    throw new Error(`tls.ca: cannot read ${file} (${err.code ?? err.message})`);
  });
  caFiles.set(file, { at: now, pem });
  return pem;
}

const UNTRUSTED = "trust it with the probe's tls.ca (a PEM file of its CA or of the certificate itself), or set tls: { verify: false }";

/** Certificate errors, in words that say which option helps. */
const CERT_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `TLS: the server's certificate is self-signed; ${UNTRUSTED}`,
  SELF_SIGNED_CERT_IN_CHAIN: `TLS: the server's certificate chain ends in an untrusted self-signed CA; ${UNTRUSTED}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `TLS: the server's certificate is signed by an unknown CA; ${UNTRUSTED}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `TLS: the server's certificate is signed by an unknown CA; ${UNTRUSTED}`,
  UNABLE_TO_GET_ISSUER_CERT: `TLS: the server's certificate is signed by an unknown CA; ${UNTRUSTED}`,
  CERT_HAS_EXPIRED: "TLS: the server's certificate has expired (tls: { verify: false } accepts it anyway)",
  CERT_NOT_YET_VALID: "TLS: the server's certificate is not valid yet (check the clocks; tls: { verify: false } accepts it anyway)",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "TLS: the server's certificate does not name the host in the URL (tls: { verify: false } accepts it anyway)",
};

/** A certificate verification failure in words, or null for any other error. */
export function describeCertError(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ? (CERT_ERRORS[code] ?? null) : null;
}
