/** Characters with a meaning in CommonMark or GFM anywhere in a line, or in what autolinkers look for. */
const MARKUP = /[\\`*_[\]()#!|~{}+=.:@<>&]/g;

/**
 * Text as Markdown shows it literally: `&`, `<` and `>` are entity-encoded, every other character
 * that means something in CommonMark or GFM is backslash-escaped (`-` only where it starts a line),
 * and so are `.`, `:` and `@`: `http\://…`, `www\.…`, `evil\.example` and `a\@b` no longer match
 * what GitHub's and linkify-style autolinkers turn into links, since the escaped character is not
 * plain text where they look for it. So operator text never becomes markup, a list, a table cell,
 * an image or a link. Renderers show each escaped character alone.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKUP, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .replace(/^(\s*)-/gm, '$1\\-');
}

/** Operator or config text in a table cell or a line: escaped, on one line. */
export function cell(text: string): string {
  return escapeMarkdown(text.replace(/\s*(\r?\n|\r)\s*/g, ' '));
}
