import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { exportMarkdown } from '../src/api/export-markdown.ts';
import { openStore } from '../src/store/store.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0, tempDataDir } from './store-scenario.ts';
it('scratch', async () => {
  const { dir, cleanup } = tempDataDir();
  const store = await openStore({ kind: 'sqlite', dataDir: dir, retentionDays: 90, checkpointIntervalMs: 60000 });
  const config = scenarioConfig();
  const m = await runFailoverScenario(createDriver(store, config, T0));
  await store.annotate(m.incidentId, { text: 'Secondary took over, "slowly", =SUM(A1:A9)\nsee <img src=x>', at: m.failoverEnd, followUp: true }, '2026-03-02T12:00:00.000Z');
  const detail = (await store.incidentDetail(m.incidentId, config))!;
  writeFileSync('/tmp/pm/store-scenario.md', exportMarkdown(detail));
  writeFileSync('/tmp/pm/store-scenario.json', JSON.stringify(m));
  await store.close(); cleanup();
});
