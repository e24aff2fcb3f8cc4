import Router from '@koa/router';
import { siteDirectory, type HqwatchConfig, type SiteDirectory } from '@hqwatch/shared';
import { requireRole } from '../auth/access.ts';

/**
 * `GET /api/sites`: the site directory (each site's home server, voicemail server, user count and
 * short name), from the config in force. The wall groups and counts sites with it; it changes only
 * with the config, so it is computed once per config object.
 */
export function sitesRoutes(getConfig: () => HqwatchConfig): Router {
  const router = new Router();
  let cached: { config: HqwatchConfig; directory: SiteDirectory } | null = null;
  router.get('/api/sites', requireRole('viewer'), async (ctx) => {
    const config = getConfig();
    if (cached?.config !== config) cached = { config, directory: siteDirectory(config) };
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = cached.directory;
  });
  return router;
}
