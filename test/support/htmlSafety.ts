/**
 * Finding anything in HTML that could run script or restyle the page: script elements, event
 * handler attributes, htmx attributes, style attributes and javascript:/data:/vbscript: URLs.
 * Parsed with Bun's HTMLRewriter (a browser-grade tokenizer), not with regular expressions.
 */
const DANGEROUS_URL = /^(javascript|data|vbscript):/i;
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "background"]);

/** Decodes character references the way a browser would before looking at a URL's scheme. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ":").replace(/&tab;/gi, "\t").replace(/&newline;/gi, "\n").replace(/&amp;/gi, "&");
}

export interface Finding {
  tag: string;
  problem: string;
}

export interface SafetyOptions {
  /** Allows our own page furniture outside user content: script files from /static, htmx on our forms and links. */
  page?: boolean;
}

/** Everything dangerous in the HTML. For a whole page, only our own scripts and htmx attributes are allowed. */
export async function dangersIn(html: string, options: SafetyOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  let userDepth = 0;
  const rewriter = new HTMLRewriter().on("*", {
    element(el) {
      const tag = el.tagName.toLowerCase();
      const cls = ` ${el.getAttribute("class") ?? ""} `;
      const isUserContent = !options.page || userDepth > 0 || cls.includes(" content ") || cls.includes(" bio ");
      if (options.page && (cls.includes(" content ") || cls.includes(" bio "))) {
        userDepth++;
        el.onEndTag(() => { userDepth--; });
      }
      const add = (problem: string) => findings.push({ tag, problem });
      if (tag === "script" && (isUserContent || !(el.getAttribute("src") ?? "").startsWith("/static/"))) add("script element");
      for (const [rawName, value] of el.attributes) {
        const name = rawName.toLowerCase();
        if (name.startsWith("on")) add(`event handler ${name}`);
        if (/^(data-)?hx-/.test(name) || name.startsWith("hx:")) {
          const ours = !isUserContent && ["form", "a", "span"].includes(tag) && !/logout|delete|follow|js:/i.test(value);
          if (!ours) add(`htmx attribute ${name}="${value}"`);
        }
        if (name === "style" && (isUserContent || !/^width:\d+px;height:\d+px$/.test(value))) add(`style attribute "${value}"`);
        if (URL_ATTRIBUTES.has(name) && DANGEROUS_URL.test(decodeEntities(value).replace(/[\u0000-\u0020]/g, ""))) {
          add(`dangerous URL in ${name}: ${value}`);
        }
      }
      if (isUserContent && ["style", "iframe", "object", "embed", "form", "input", "button", "meta", "link", "base", "svg", "math", "template", "img"].includes(tag)) {
        add(`element <${tag}> in user content`);
      }
    },
  });
  await rewriter.transform(new Response(html)).text();
  return findings;
}
