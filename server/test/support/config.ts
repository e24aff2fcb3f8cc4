import { validateConfig, type HqwatchConfig } from '@hqwatch/shared';

/**
 * A small valid config on the given loopback octet (127.N.x.y); probes are TCP only. Reading needs
 * no login (`auth.anonymous: viewer`), as these tests are about monitoring, not access.
 */
export function testConfig(octet: number, overrides: Record<string, unknown> = {}): HqwatchConfig {
  const raw = {
    monitor: { interval: '200ms', timeout: '150ms', failAfter: 2, recoverAfter: 2 },
    headquarters: {
      primary: { name: 'HQ primary', address: `127.${octet}.1.10`, probes: [{ kind: 'tcp', port: 4308 }] },
      secondary: { name: 'HQ secondary', address: `127.${octet}.2.10`, probes: [{ kind: 'tcp', port: 4308 }] },
    },
    servers: [{ id: 'dvs-boston', name: 'Boston DVS', address: `127.${octet}.3.10`, drs: true, probes: [{ kind: 'tcp', port: 4308 }] }],
    drs: { enabled: true },
    sites: [
      { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
      { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'], userCount: 120 },
    ],
    auth: { anonymous: 'viewer' },
    ...overrides,
  };
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.config;
}
