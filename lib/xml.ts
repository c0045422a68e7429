/**
 * Text safe inside XML elements and attribute values (the Atom feed, the SVG badges): markup
 * escaped, and the characters XML 1.0 forbids even escaped (most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) left out, so a hostile model name cannot make the document invalid.
 */
export function xmlText(s: string): string {
  return s.toWellFormed()
    // deno-lint-ignore no-control-regex -- removing the forbidden control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}
