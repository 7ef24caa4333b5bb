// Markdown from the API (chat sections) rendered as React elements. No raw
// HTML ever: HTML in the text is dropped (skipHtml, and no rehype-raw), only
// a small set of elements is allowed, links go to http(s), mailto or this
// site only, and images only to this site's screenshots or image data URLs.
import Markdown, { type Components, type UrlTransform } from 'react-markdown';

const SCREENSHOT = /^\/api\/tasks\/[A-Za-z0-9_-]+\/screenshots\/[A-Za-z0-9_-]+$/;
const IMAGE_DATA = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

export const safeUrl: UrlTransform = (url, key) => {
  const value = url.trim();
  if (key === 'src') return SCREENSHOT.test(value) || IMAGE_DATA.test(value) ? value : null;
  if (key !== 'href') return null;
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:' ? parsed.href : null;
  } catch {
    return null;
  }
};

const blockElements = ['p', 'strong', 'em', 'del', 'code', 'pre', 'a', 'img', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote', 'br', 'hr'];
const inlineElements = ['strong', 'em', 'del', 'code', 'a', 'br'];

const components: Components = {
  a({ href, children }) {
    if (!href) return <span>{children}</span>;
    const external = !href.startsWith('/');
    return external ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <a href={href}>{children}</a>
    );
  },
  img({ src, alt }) {
    if (!src || typeof src !== 'string') return null;
    return <img src={src} alt={alt ?? 'Screenshot'} className="md-image" loading="lazy" />;
  },
  // Section headings sit under the page's h1 and the reply's h2.
  h3: ({ children }) => <h3 className="md-heading">{children}</h3>,
  h4: ({ children }) => <h4 className="md-heading">{children}</h4>,
};

export function SafeMarkdown({ text, inline = false }: { text: string; inline?: boolean }) {
  return (
    <Markdown
      skipHtml
      urlTransform={safeUrl}
      allowedElements={inline ? inlineElements : blockElements}
      unwrapDisallowed
      components={components}
    >
      {text}
    </Markdown>
  );
}
