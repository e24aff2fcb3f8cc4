import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { recordScenario } from './support/scenario-incidents.ts';

it.each(['clean-failover', 'failover-overrun', 'split-brain', 'dvs-lost-during-failover', 'dead-pair'])('scratch %s', async (name) => {
  const t = await recordScenario(name, 230);
  try {
    const incidents = await t.incidents();
    for (const [i, inc] of incidents.entries()) {
      const md = await (await t.api(`/api/incidents/${inc.id}/export?format=md&tz=Europe/Berlin`)).text();
      writeFileSync(`/tmp/pm/${name}-${i}.md`, md);
    }
  } finally {
    await t.close();
  }
}, 60_000);
