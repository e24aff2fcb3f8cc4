import { isIPv4 } from 'node:net';

/** Where each simulated server of one lab listens. Every address is inside 127.0.0.0/8. */
export interface LabAddresses {
  primary: string;
  secondary: string;
  /** The i-th distributed server, from 0. */
  dvs: (i: number) => string;
  witness: string;
}

/**
 * The addresses of a lab whose second octet is `octet`. Labs with different octets never collide,
 * so tests can run several at once; the demo uses octet 0 (127.0.1.10, 127.0.2.10, …).
 */
export function labAddresses(octet: number): LabAddresses {
  if (!Number.isInteger(octet) || octet < 0 || octet > 255) throw new RangeError(`lab octet must be 0–255, got ${octet}`);
  return {
    primary: `127.${octet}.1.10`,
    secondary: `127.${octet}.2.10`,
    dvs: (i) => {
      if (!Number.isInteger(i) || i < 0 || i > 245) throw new RangeError(`distributed server index must be 0–245, got ${i}`);
      return `127.${octet}.3.${10 + i}`;
    },
    witness: `127.${octet}.9.10`,
  };
}

/** The only addresses the lab may bind or send to. */
export function isLoopback(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(plain) && plain.startsWith('127.');
}

export const LOCALHOST = '127.0.0.1';
