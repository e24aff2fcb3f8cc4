/** Escaping and the frame every status page shares: head, style, header and footer. */
import type { StatusPageConfig, StatusWords } from '@hqwatch/shared';
import { LIVE_SCRIPT_PATH } from './live-script.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Mobile first: one column, large tap targets, system fonts; colours at 4.5:1 or more on white
 * (and on their own tints), and every status said in words, never by colour alone.
 */
const STYLE = `*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header,main,footer{max-width:42rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;border-bottom:1px solid #ccc}
a{color:#0b4fa8}a:focus,button:focus,input:focus{outline:3px solid #0b4fa8;outline-offset:2px}h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.headline{font-size:1.2rem;font-weight:600;padding:.75rem;border-radius:.4rem;border-left:.4rem solid}
.ok{background:#e8f5e9;border-color:#1b5e20;color:#1b5e20}.disrupted{background:#fdecea;border-color:#b71c1c;color:#8e0000}.uncertain{background:#fff4e0;border-color:#8a4b00;color:#6b3a00}
ul{padding:0;list-style:none}li{padding:.5rem 0;border-bottom:1px solid #e3e3e3}.svc b{display:block}.svc .st::before{font-weight:700;margin-right:.35rem}
.working .st{color:#1b5e20}.working .st::before{content:"✓"}.unavailable .st{color:#8e0000}.unavailable .st::before{content:"✕"}.uncertain .st::before{content:"?"}
code{font-size:1.15rem;font-weight:700;background:#f1f1f1;padding:.1rem .35rem;border-radius:.25rem;white-space:nowrap;display:inline-block;max-width:100%;overflow-x:auto;vertical-align:bottom}
button,input{font:inherit;min-height:2.75rem;padding:.35rem .8rem}button{margin-left:.5rem;border:1px solid #0b4fa8;background:#fff;color:#0b4fa8;border-radius:.3rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}label{display:block;width:100%}input{flex:1;min-width:10rem;border:1px solid #767676;border-radius:.3rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}.sites a{font-weight:600}.sites .st{float:right}.note{color:#555}svg{width:12rem;height:12rem;display:block;margin:.5rem 0}
@media (min-width:40rem){.svc{display:flex;gap:1rem}.svc b{flex:0 0 14rem}}`;

export interface Frame {
  title: string;
  words: StatusWords;
  page: StatusPageConfig;
  /** Links in the head (feeds). */
  alternates?: { type: string; href: string; title: string }[];
  /** Attributes of `<main>` (the live script reads them). */
  mainAttrs: Record<string, string>;
  main: string;
  footer?: string;
  /** Seconds between reloads when JavaScript is off. */
  refreshSeconds: number;
  /** The link back to every site; absent on the index itself. */
  allSitesHref?: string;
}

/** A whole page: the same head, header and footer around its `<main>`. */
export function frame(f: Frame): string {
  const alternates = (f.alternates ?? [])
    .map((a) => `<link rel="alternate" type="${a.type}" href="${esc(a.href)}" title="${esc(a.title)}">`)
    .join('');
  const attrs = Object.entries(f.mainAttrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  const helpdesk = f.page.helpdesk
    ? `<p>${esc(f.words.helpdesk).replace('{phone}', `<a href="tel:${esc(f.page.helpdesk.replace(/[^0-9+]/g, ''))}">${esc(f.page.helpdesk)}</a>`)}</p>`
    : '';
  const back = f.allSitesHref ? `<p><a href="${esc(f.allSitesHref)}">${esc(f.words.allSitesLink)}</a></p>` : '';
  return `<!doctype html><html lang="${esc(f.page.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(f.title)}</title><noscript><meta http-equiv="refresh" content="${f.refreshSeconds}"></noscript>${alternates}<style>${STYLE}</style><script src="${LIVE_SCRIPT_PATH}" defer></script></head>
<body><header><p><strong>${esc([f.words.title, f.page.company].filter(Boolean).join(' · '))}</strong></p>${back}${helpdesk}</header>
<main id="status"${attrs}>${f.main}</main>
<footer>${f.footer ?? ''}<p id="live" class="note"></p><p id="said" class="sr" aria-live="polite"></p></footer></body></html>`;
}
