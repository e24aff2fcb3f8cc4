/** The QR code of a page's link, as inline SVG (no image request, nothing the CSP has to allow). */
import QRCode from 'qrcode';

const made = new Map<string, Promise<string>>();
/** Links are few (one per site and origin); the cache is bounded all the same. */
const MAX_KEPT = 2_000;

/** An SVG of `url`'s QR code, labelled for screen readers. */
export function qrSvg(url: string, label = 'QR code of this page’s link'): Promise<string> {
  let svg = made.get(url);
  if (!svg) {
    if (made.size >= MAX_KEPT) made.clear();
    svg = QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((text) =>
      text.replace('<svg ', `<svg role="img" aria-label="${label.replace(/"/g, '&quot;')}" `),
    );
    made.set(url, svg);
    svg.catch(() => made.delete(url));
  }
  return svg;
}
