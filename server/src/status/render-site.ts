/** One site's status page: its `<main>` (also what the live updates carry), the whole page, its Atom feed. */
import {
  fill,
  formatDuration,
  type Episode,
  type SiteStatus,
  type StatusChange,
  type StatusPageConfig,
  type StatusWords,
  type UserService,
} from '@hqwatch/shared';
import { esc, frame } from './html.ts';

/** The page reloads itself this often without JavaScript. */
export const REFRESH_SECONDS = 30;

/** What the history section shows: the episodes, or null when no history is kept. */
export type SiteHistory = { episodes: Episode[]; changes: StatusChange[] } | null;

export interface SiteLinks {
  /** Absolute URL of the page (the short link, the QR code, the feed's links). */
  page: string;
  json: string;
  atom: string;
  events: string;
}

function servicesText(services: readonly UserService[], words: StatusWords): string {
  return services.map((s) => words.services[s]).join(', ');
}

function when(ms: number, page: StatusPageConfig, withDay: boolean): string {
  const clock: Intl.DateTimeFormatOptions = {
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: page.clock === '12h' ? 'h12' : 'h23',
    timeZone: page.timeZone,
  };
  const options: Intl.DateTimeFormatOptions = withDay ? { weekday: 'short', day: 'numeric', month: 'short', ...clock } : clock;
  return new Intl.DateTimeFormat(page.language, options).format(new Date(ms));
}

function historyList(history: SiteHistory, words: StatusWords, page: StatusPageConfig): string {
  if (history === null) return `<p class="note">${esc(words.historyNotKept)}</p>`;
  if (history.episodes.length === 0) return `<p>${esc(words.historyNone)}</p>`;
  const items = history.episodes.map((e) => {
    const span =
      e.to === null
        ? `${when(e.from, page, true)} – ${esc(words.ongoing)}`
        : `${when(e.from, page, true)} – ${when(e.to, page, false)} (${formatDuration(e.to - e.from)})`;
    return `<li><time datetime="${new Date(e.from).toISOString()}">${esc(span)}</time><br>${esc(fill(words.historyEntry, { services: servicesText(e.services, words) }))}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

/** An action's text with its address marked for copying (the address is in the text exactly once, as filled). */
function actionHtml(action: SiteStatus['actions'][number]): string {
  const text = esc(action.text);
  if (!action.address) return text;
  const address = esc(action.address);
  const at = text.indexOf(address);
  return at < 0
    ? `${text} <code data-copy>${address}</code>`
    : `${text.slice(0, at)}<code data-copy>${address}</code>${text.slice(at + address.length)}`;
}

/** The inside of `<main>`: everything that changes, so a live update replaces it whole. */
export function siteMain(status: SiteStatus, history: SiteHistory, words: StatusWords, page: StatusPageConfig): string {
  const lines = status.services
    .map((l) => `<li class="svc ${l.status}"><b>${esc(l.label)}</b><span class="st">${esc(l.text)}</span></li>`)
    .join('');
  const actions = status.actions.map((a) => `<li>${actionHtml(a)}</li>`).join('');
  const manual =
    page.manualUrl && status.actions.some((a) => a.address)
      ? `<p><a href="${esc(page.manualUrl)}">${esc(words.actions.manual)}</a></p>`
      : '';
  const todo = actions
    ? `<section aria-labelledby="todo"><h2 id="todo">${esc(words.whatToDo)}</h2><ul>${actions}</ul>${manual}</section>`
    : '';
  return `<h1>${esc(status.site.name)}</h1><p class="headline ${status.overall}">${esc(status.headline)}</p><p>${esc(status.situation.text)}</p>
${todo}<section aria-labelledby="works"><h2 id="works">${esc(words.whatWorks)}</h2><ul>${lines}</ul></section>
<section aria-labelledby="history"><h2 id="history">${esc(words.history)}</h2>${historyList(history, words, page)}</section>`;
}

/** The words the live script says, as `<main>`'s data attributes. */
export function scriptWords(words: StatusWords): Record<string, string> {
  return {
    'data-copy-word': words.copy,
    'data-copied-word': words.copied,
    'data-live-word': words.live,
    'data-offline-word': words.offline,
  };
}

/** The whole page of a site. */
export function sitePage(args: {
  status: SiteStatus;
  history: SiteHistory;
  words: StatusWords;
  page: StatusPageConfig;
  links: SiteLinks;
  qrSvg: string;
}): string {
  const { status, words, page, links } = args;
  const share = `<details><summary>${esc(words.share)}</summary><p>${esc(words.shortLink)}: <a href="${esc(links.page)}" data-copy>${esc(links.page)}</a></p>${args.qrSvg}</details>`;
  return frame({
    title: `${status.site.name} · ${words.title}`,
    words,
    page,
    alternates: [
      { type: 'application/atom+xml', href: links.atom, title: `${status.site.name} · ${words.title}` },
      { type: 'application/json', href: links.json, title: status.site.name },
    ],
    mainAttrs: { 'data-events': links.events, ...scriptWords(words) },
    main: siteMain(status, args.history, words, page),
    footer: share,
    refreshSeconds: REFRESH_SECONDS,
    allSitesHref: '/status',
  });
}

const xml = (text: string) => esc(text);

/** The Atom feed of a site's status changes (newest first), from the same history as the page. */
export function siteAtom(args: { status: SiteStatus; history: SiteHistory; words: StatusWords; links: SiteLinks; bootMs: number }): string {
  const { status, words, links } = args;
  const changes = [...(args.history?.changes ?? [])].reverse().slice(0, 50);
  const updated = new Date(changes[0]?.at ?? args.bootMs).toISOString();
  const entries = changes.map((c) => {
    const parts = [
      ...(c.lost.length ? [fill(words.nowUnavailable, { services: servicesText(c.lost, words) })] : []),
      ...(c.back.length ? [fill(words.workingAgain, { services: servicesText(c.back, words) })] : []),
    ];
    const still = c.unavailable.filter((s) => !c.lost.includes(s));
    const content = [...parts, ...(still.length ? [fill(words.nowUnavailable, { services: servicesText(still, words) })] : [])].join('. ');
    const at = new Date(c.at).toISOString();
    return `<entry><title>${xml(parts.join('. '))}</title><id>${xml(`${links.page}#${c.at}`)}</id><updated>${at}</updated><link href="${xml(links.page)}"/><content type="text">${xml(content)}</content></entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${xml(`${status.site.name} · ${words.title}`)}</title><id>${xml(links.page)}</id><updated>${updated}</updated>
<link rel="self" href="${xml(links.atom)}"/><link rel="alternate" type="text/html" href="${xml(links.page)}"/><author><name>${xml(words.title)}</name></author>
${entries.join('\n')}
</feed>`;
}
