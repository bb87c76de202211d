/**
 * Characters XML 1.0 cannot carry — C0 controls other than tab/newline/return, U+FFFE/U+FFFF and lone surrogates.
 * A panel is drawn as an image by serialising its DOM to SVG: one such character anywhere in it (a hostile lock
 * value's NUL) makes the browser refuse the whole image.
 */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with each character XML cannot carry shown as its control picture (NUL → ␀), others as U+FFFD. */
export function xmlSafeText(text: string): string {
  return text.replace(NOT_XML, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : "\uFFFD";
  });
}

export const isXmlSafe = (text: string): boolean => !new RegExp(NOT_XML.source).test(text);
