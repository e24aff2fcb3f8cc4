/**
 * The status page's one script (served as a file: the CSP allows no inline script). Without it
 * the page is complete and reloads itself (`<noscript>` refresh); with it, a site page takes each
 * change from server-sent events (`data-events`), the index re-reads itself every 30 s, and each
 * address gets a copy button. The words come from `<main>`'s data attributes.
 */
import { createHash } from 'node:crypto';

const SOURCE = `(() => {
  'use strict';
  const main = document.getElementById('status');
  const say = document.getElementById('live');
  const said = document.getElementById('said');
  if (!main || !say || !said) return;
  const w = main.dataset;
  function copyButtons(root) {
    for (const el of root.querySelectorAll('[data-copy]')) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = w.copyWord;
      button.setAttribute('aria-label', w.copyWord + ' ' + el.textContent);
      button.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(el.textContent);
        } catch {
          const range = document.createRange();
          range.selectNodeContents(el);
          const selection = getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.execCommand('copy');
        }
        button.textContent = w.copiedWord;
        setTimeout(() => (button.textContent = w.copyWord), 2000);
      });
      (el.closest('li, p') || el.parentNode).append(button);
    }
  }
  const headline = () => (main.querySelector('.headline') || {}).textContent;
  function show(html) {
    const before = headline();
    main.innerHTML = html;
    copyButtons(main);
    // Screen readers hear a new headline; the rest is there to read.
    if (headline() !== before) said.textContent = headline() || '';
  }
  copyButtons(document);
  if (w.events && window.EventSource) {
    const events = new EventSource(w.events);
    events.addEventListener('status', (e) => show(e.data));
    events.addEventListener('open', () => (say.textContent = w.liveWord));
    events.addEventListener('error', () => (say.textContent = w.offlineWord));
  } else if (w.poll) {
    let tag = null;
    setInterval(async () => {
      // Someone typing a search is not interrupted.
      if (document.activeElement && document.activeElement.tagName === 'INPUT') return;
      try {
        const res = await fetch(location.href, { headers: tag ? { 'if-none-match': tag } : {} });
        if (res.status !== 200) return;
        tag = res.headers.get('etag');
        const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
        const next = doc.getElementById('status');
        if (next) show(next.innerHTML);
        say.textContent = w.liveWord;
      } catch {
        say.textContent = w.offlineWord;
      }
    }, Number(w.poll) * 1000);
  }
})();
`;

const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 12);

/** Versioned by its content, so it is cached for good and a new build is fetched at once. */
export const LIVE_SCRIPT_PATH = `/status/_/live.${hash}.js`;
export const LIVE_SCRIPT = Buffer.from(SOURCE);
