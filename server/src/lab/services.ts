/** The listeners of a simulated server: which port, which protocol, and how each one answers. */

export type ServiceName = 'host' | 'database' | 'director' | 'call-control' | 'sip' | 'witness';

export interface ServiceSpec {
  name: ServiceName;
  protocol: 'tcp' | 'udp';
  /** Planned port; 0 takes any free one. */
  port: number;
  /** `host` listeners model the machine being up and stay open unless the node is `down`. */
  role: 'host' | 'service';
  /** `accept`: accept and close; `banner`: send a greeting line; `http`: Director; `sip`: OPTIONS responder. */
  kind: 'accept' | 'banner' | 'http' | 'sip';
}

/** Ports of a simulated ShoreWare server. */
export interface PbxPorts {
  /**
   * Stands in for "the host answers ping": loopback always answers ICMP, so host reachability is a
   * TCP port (RPC endpoint mapper, open on any Windows server) that only `down` closes.
   */
  host: number;
  /** Configuration database. */
  database: number;
  /** ShoreWare Director web UI. Not 8080: the dashboard listens there. */
  director: number;
  /** Call control (SIP over UDP). */
  callControl: number;
  sip: number;
}

export const DEFAULT_PBX_PORTS: PbxPorts = { host: 135, database: 4308, director: 8000, callControl: 5441, sip: 5060 };
/** The witness is a DNS server of the monitor's own network: something outside the PBX that is always up. */
export const DEFAULT_WITNESS_PORT = 53;

export function pbxServices(ports: PbxPorts): ServiceSpec[] {
  return [
    { name: 'host', protocol: 'tcp', port: ports.host, role: 'host', kind: 'accept' },
    { name: 'database', protocol: 'tcp', port: ports.database, role: 'service', kind: 'banner' },
    { name: 'director', protocol: 'tcp', port: ports.director, role: 'service', kind: 'http' },
    { name: 'call-control', protocol: 'udp', port: ports.callControl, role: 'service', kind: 'sip' },
    { name: 'sip', protocol: 'udp', port: ports.sip, role: 'service', kind: 'sip' },
  ];
}

export function witnessServices(port = DEFAULT_WITNESS_PORT): ServiceSpec[] {
  return [{ name: 'witness', protocol: 'tcp', port, role: 'service', kind: 'accept' }];
}

/** The greeting line of the configuration database port. */
export const DATABASE_BANNER = 'ShoreWare Configuration Database ready\r\n';

/** The Director login page, enough for an HTTP probe and a curious human. */
export function directorPage(nodeName: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>ShoreWare Director — ${escapeHtml(nodeName)}</title></head>`,
    '<body>',
    '<h1>ShoreWare Director</h1>',
    `<p>Server: ${escapeHtml(nodeName)} (simulated by the hqwatch lab)</p>`,
    '<form method="post" action="/ShoreWareDirector/login"><label>User <input name="user"></label>',
    '<label>Password <input name="password" type="password"></label><button>Log in</button></form>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
