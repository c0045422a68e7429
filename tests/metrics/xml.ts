/**
 * A small XML well-formedness check for the tests (badges, the Atom feed): one root element,
 * tags balanced, attributes quoted and unique, every `&` an entity, no `<` in text, no
 * characters XML 1.0 forbids. Returns the root element's name and every element name seen.
 */
export function checkXml(xml: string): { root: string; elements: string[]; texts: string[] } {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)) {
    throw new Error("a character XML 1.0 forbids");
  }
  let s = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const stack: string[] = [];
  const elements: string[] = [];
  const texts: string[] = [];
  let root: string | null = null;
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  const checkText = (t: string) => {
    for (let i = t.indexOf("&"); i >= 0; i = t.indexOf("&", i + 1)) {
      if (!entity.test(t.slice(i))) {
        throw new Error(`bare & in ${JSON.stringify(t.slice(i, i + 20))}`);
      }
    }
  };
  while (s.length > 0) {
    const lt = s.indexOf("<");
    if (lt < 0) {
      if (s.trim() !== "") throw new Error("text after the root");
      break;
    }
    const text = s.slice(0, lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error("text outside the root");
    checkText(text);
    if (text.trim() !== "") texts.push(text);
    const gt = s.indexOf(">", lt);
    if (gt < 0) throw new Error("unclosed tag");
    const tag = s.slice(lt + 1, gt);
    s = s.slice(gt + 1);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*$/.exec(body);
    if (!m) throw new Error(`bad tag <${tag.slice(0, 60)}>`);
    const names = [...m[2].matchAll(/([A-Za-z_][\w:.-]*)="([^"]*)"/g)];
    if (new Set(names.map((n) => n[1])).size !== names.length) {
      throw new Error(`attribute twice in <${m[1]}>`);
    }
    for (const n of names) checkText(n[2]);
    if (stack.length === 0) {
      if (root !== null) throw new Error("two roots");
      root = m[1];
    }
    elements.push(m[1]);
    if (!selfClosing) stack.push(m[1]);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (root === null) throw new Error("no root");
  return { root, elements, texts };
}

/** Undoes the five XML entities (for comparing text content). */
export function unescapeXml(s: string): string {
  return s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'").replaceAll("&amp;", "&");
}
