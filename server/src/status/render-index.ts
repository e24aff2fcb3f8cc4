/** `/status`: every site (of `statusPage.sites`) with its state in a word, searchable by a plain GET form. */
import { fill, type SiteStatus, type StatusPageConfig, type StatusWords } from '@hqwatch/shared';
import { esc, frame } from './html.ts';
import { REFRESH_SECONDS, scriptWords } from './render-site.ts';

/** Sites per page: 200 keeps the largest topology's index (500 sites) well under 30 KB. */
export const SITES_PER_PAGE = 200;

export interface IndexEntry {
  id: string;
  name: string;
  overall: SiteStatus['overall'];
}

/** The headline word of a site's state, from the page's words. */
function stateWord(overall: SiteStatus['overall'], words: StatusWords): string {
  return overall === 'ok' ? words.states.working : overall === 'disrupted' ? words.states.unavailable : words.states.uncertain;
}

/** Sites matching `query` (name or id, any case), the affected first, one page of them. */
export function indexPage(args: {
  sites: readonly IndexEntry[];
  query: string;
  page: number;
  words: StatusWords;
  config: StatusPageConfig;
}): string {
  const { words, config } = args;
  const q = args.query.trim().toLowerCase();
  const rank = { disrupted: 0, uncertain: 1, ok: 2 } as const;
  const matching = args.sites
    .filter((s) => !q || s.name.toLowerCase().includes(q) || s.id.toLowerCase().includes(q))
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank[a.s.overall] - rank[b.s.overall] || a.i - b.i)
    .map(({ s }) => s);
  const pages = Math.max(1, Math.ceil(matching.length / SITES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(args.page) || 1), pages);
  const shown = matching.slice((page - 1) * SITES_PER_PAGE, page * SITES_PER_PAGE);
  const items = shown
    .map(
      (s) =>
        `<li class="${s.overall}"><a href="/status/${encodeURIComponent(s.id)}">${esc(s.name)}</a> <span class="st">${esc(stateWord(s.overall, words))}</span></li>`,
    )
    .join('');
  const link = (p: number) => `/status?${new URLSearchParams({ ...(q ? { q: args.query } : {}), page: String(p) }).toString()}`;
  const nav =
    pages > 1
      ? `<nav aria-label="pages"><p>${page > 1 ? `<a href="${esc(link(page - 1))}" rel="prev">←</a> ` : ''}${page} / ${pages}${page < pages ? ` <a href="${esc(link(page + 1))}" rel="next">→</a>` : ''}</p></nav>`
      : '';
  const list =
    matching.length === 0 && q ? `<p>${esc(fill(words.noMatch, { query: args.query }))}</p>` : `<ul class="sites">${items}</ul>${nav}`;
  const main = `<h1>${esc(words.allSites)}</h1>
<form method="get" action="/status" role="search"><label for="q">${esc(words.searchLabel)}</label><input id="q" name="q" type="search" value="${esc(args.query)}" autocomplete="off"><button type="submit">${esc(words.searchButton)}</button></form>
${list}`;
  return frame({
    title: [words.allSites, config.company].filter(Boolean).join(' · '),
    words,
    page: config,
    mainAttrs: { 'data-poll': String(REFRESH_SECONDS), ...scriptWords(words) },
    main,
    refreshSeconds: REFRESH_SECONDS,
  });
}
