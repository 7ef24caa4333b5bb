import { DomUtils, parseDocument } from 'htmlparser2';

type DomNode = ReturnType<typeof parseDocument>['children'][number];

export interface HtmlLink {
  href: string;
  /** Visible text of the anchor, with the alt text of images inside it (image buttons). */
  text: string;
}

/** One visual line of an email: a block of text and the anchors inside it. */
export interface HtmlLine {
  text: string;
  links: HtmlLink[];
}

const SKIPPED = new Set(['head', 'title', 'style', 'script', 'noscript', 'template', 'svg']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'center', 'dd', 'div', 'dl', 'dt',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

const squash = (text: string) => text.replace(/[\s\u00a0\u200b-\u200d\u034f\ufeff]+/g, ' ').trim();

/**
 * Splits an HTML body into the lines a reader sees, so that "To reset your password
 * <a>click here</a>" keeps its context and a code alone in its table cell stands alone.
 * Hidden elements (preheaders, tricks aimed at filters) are left out.
 */
export function htmlToLines(html: string): HtmlLine[] {
  const lines: HtmlLine[] = [];
  let current: HtmlLine = { text: '', links: [] };
  const flush = () => {
    const text = squash(current.text);
    if (text || current.links.length) lines.push({ text, links: current.links });
    current = { text: '', links: [] };
  };

  const walk = (nodes: DomNode[]) => {
    for (const node of nodes) {
      if (DomUtils.isText(node)) {
        current.text += node.data;
        continue;
      }
      if (!DomUtils.isTag(node)) continue;
      const name = node.name.toLowerCase();
      if (SKIPPED.has(name) || isHidden(node.attribs)) continue;
      const block = BLOCKS.has(name);
      if (block) flush();
      if (name === 'a' && node.attribs.href) {
        const text = squash(`${DomUtils.textContent(node)} ${altTexts(node.children)}`);
        current.links.push({ href: node.attribs.href.trim(), text });
        current.text += ` ${text} `;
      } else {
        walk(node.children);
      }
      if (block) flush();
    }
  };

  walk(parseDocument(html, { decodeEntities: true }).children);
  flush();
  return lines;
}

function isHidden(attribs: Record<string, string>): boolean {
  return 'hidden' in attribs || HIDDEN_STYLE.test(attribs.style ?? '');
}

function altTexts(nodes: DomNode[]): string {
  return DomUtils.findAll((el) => el.name === 'img', nodes)
    .map((img) => img.attribs.alt ?? '')
    .join(' ');
}
