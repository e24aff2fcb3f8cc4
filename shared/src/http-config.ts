import { z } from 'zod';
import { isHost, isIpv4, isIpv6, notAHostMessage } from './host-name.ts';

/**
 * A name the server may be reached by, for the `Host` check: a host name (`noc.example.com`), or a
 * domain with a leading dot for it and every name under it (`.noc.example.com`).
 */
const allowedHost = z
  .string()
  .transform((text) => text.toLowerCase())
  .refine((text) => isHost(text.startsWith('.') ? text.slice(1) : text), {
    error: (issue) => `${notAHostMessage(String(issue.input))} (a leading dot allows every name under a domain)`,
  });

/** An address a reverse proxy connects from. */
const proxyAddress = z.string().refine((text) => isIpv4(text) || isIpv6(text), {
  error: (issue) => `"${String(issue.input)}" is not an IPv4 or IPv6 address`,
});

/** The address `serve` listens on: an IP address of this machine, or a name of one. */
const listenHost = z.string().refine((text) => isHost(text), { error: (issue) => notAHostMessage(String(issue.input)) });

/** The server's own URL as browsers reach it, e.g. behind a reverse proxy. */
const publicUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** Files of a certificate and its private key, PEM. */
const tlsFiles = z.strictObject({ cert: z.string().min(1), key: z.string().min(1) });

/** `http:` in the config: who may reach the server, and how it listens. */
export const httpConfigSchema = z
  .strictObject({
    /** Extra origins allowed to open the live socket (the server's own always is). */
    allowedOrigins: z.array(z.string()).default([]),
    /** Listen address of `serve`; 127.0.0.1 when absent (`--host` overrides both). */
    host: listenHost.optional(),
    /** The URL people open; its origin may open the socket and its host name passes the Host check. */
    publicUrl: publicUrl.optional(),
    /** More names the server may be reached by (the Host check, against DNS rebinding). */
    allowedHosts: z.array(allowedHost).default([]),
    /**
     * Addresses of reverse proxies whose `X-Forwarded-For` / `-Proto` are believed; from anyone
     * else those headers are ignored.
     */
    trustProxy: z.array(proxyAddress).default([]),
    /** Serve HTTPS directly with this certificate and key. */
    tls: tlsFiles.optional(),
  })
  .default({ allowedOrigins: [], allowedHosts: [], trustProxy: [] });

/** Per http probe: whether and against what its server's certificate is verified. */
export const probeTlsSchema = z.strictObject({
  /** Refuse a certificate that does not chain to a trusted CA or does not name the host. */
  verify: z.boolean().default(true),
  /** A PEM file of the CA (or the self-signed certificate itself) to trust for this probe. */
  ca: z.string().min(1).optional(),
});

export type HttpConfig = z.output<typeof httpConfigSchema>;
