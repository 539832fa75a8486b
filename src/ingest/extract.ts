import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { DOMParser } from 'linkedom';
import { normalizeDate } from './seed-text.js';

/** The article of a web page, as `/ajouter` saves it. */
export interface ExtractedArticle {
  /** Empty when the page names none (the seed parser then takes the first sentence). */
  title: string;
  /** `og:site_name`, or the publisher of the page's JSON-LD. */
  siteName: string | null;
  byline: string | null;
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the publisher's own day when the time carries an offset). */
  publishedTime: string | null;
  /** Text of the article's paragraphs, headings, list items and quotes, in order, white space collapsed. */
  paragraphs: string[];
}

/** Below either of these, the page is not an article (a home page, a listing, a login page). */
export const MIN_ARTICLE_CHARS = 400;
export const MIN_ARTICLE_PARAGRAPHS = 2;
/** Readability gives up on pages with more elements than this (time bounded on a hostile page). */
const MAX_ELEMENTS = 50_000;

/** The few DOM members used here: linkedom's types and the DOM library's do not agree, and lib.dom is not loaded. */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  localName?: string;
  getAttribute?(name: string): string | null;
}
interface DomElement extends DomNode {
  localName: string;
  id: string;
  className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
}
interface DomDocument {
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

function parse(html: string): DomDocument {
  return new DOMParser().parseFromString(html, 'text/html') as unknown as DomDocument;
}

/** Page parts that are never the article, by element or role. */
const FURNITURE_SELECTOR = [
  'nav',
  'aside',
  'footer',
  'form',
  'iframe',
  'noscript',
  'template',
  'dialog',
  '[hidden]',
  '[aria-hidden="true"]',
  '[role="navigation"]',
  '[role="complementary"]',
  '[role="contentinfo"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
].join(', ');

/** Words of a class or id (split at `-` and `_`) that mark page furniture: ads, banners, boxes, comments. */
const FURNITURE_WORDS = new Set([
  'ad',
  'ads',
  'adsense',
  'advert',
  'advertisement',
  'pub',
  'publicite',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'newsletter',
  'subscribe',
  'subscription',
  'abonnement',
  'related',
  'share',
  'sharing',
  'social',
  'comment',
  'comments',
  'respond',
  'promo',
  'sponsor',
  'sponsored',
  'outbrain',
  'taboola',
  'popup',
  'sidebar',
  'breadcrumb',
  'breadcrumbs',
]);
/** Never removed as furniture: the page itself, and elements that hold the article. */
const CONTAINERS = new Set(['html', 'body', 'main', 'article']);
const HOLDS_ARTICLE = 'main, h1, [itemprop="articleBody"]';

function looksLikeFurniture(el: DomElement): boolean {
  const words = `${el.className} ${el.id}`.toLowerCase().split(/[\s_-]+/u);
  return words.some((w) => FURNITURE_WORDS.has(w));
}

const paragraphChars = (root: DomElement | DomDocument): number => {
  let n = 0;
  const ps = root.querySelectorAll('p');
  for (let i = 0; i < ps.length; i++) n += ps[i]!.textContent?.length ?? 0;
  return n;
};

/**
 * Removes navigation, ads, cookie banners, newsletter boxes, related links and comments before Readability reads
 * the page: its scoring drops most of them, but a box beside the article in the same container can stay. An
 * element that holds the article (its heading, or most of the page's paragraph text) is kept whatever its class.
 */
function removeFurniture(doc: DomDocument): void {
  const all = doc.querySelectorAll(FURNITURE_SELECTOR);
  for (let i = 0; i < all.length; i++) all[i]!.remove();
  const total = paragraphChars(doc);
  const candidates = doc.querySelectorAll('[class], [id]');
  const furniture: DomElement[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const el = candidates[i]!;
    if (CONTAINERS.has(el.localName) || !looksLikeFurniture(el)) continue;
    if (el.querySelector(HOLDS_ARTICLE) || paragraphChars(el) * 2 > total) continue;
    furniture.push(el);
  }
  for (const el of furniture) el.remove();
}

/** The page's publication date when its metadata (which Readability reads) has none: microdata, `<time>`. */
function fallbackDate(doc: DomDocument): string | null {
  const item = doc.querySelector('[itemprop="datePublished"]');
  const candidates = [
    item?.getAttribute('content'),
    item?.getAttribute('datetime'),
    doc.querySelector('article time[datetime]')?.getAttribute('datetime'),
    doc.querySelector('time[pubdate][datetime]')?.getAttribute('datetime'),
  ];
  for (const c of candidates) {
    const date = c ? normalizeDate(c) : null;
    if (date) return date;
  }
  return null;
}

/** HTML white space (not the no-break spaces French typography puts in the text). */
const collapse = (s: string): string => s.replace(/[ \t\n\f\r]+/gu, ' ').trim();

const BLOCKS = new Set(['p', 'h2', 'h3', 'h4', 'li', 'blockquote']);
const HEADINGS = new Set(['h2', 'h3', 'h4']);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'figcaption', 'button', 'select']);
/** A block whose text is mostly link text is a link list or a « lire aussi », not article text. */
const MAX_LINK_SHARE = 0.5;

interface Block {
  tag: string;
  text: string;
  linkChars: number;
}

/**
 * The text blocks of Readability's article content, in document order. A block inside another (a `<p>` in a
 * `<blockquote>` or `<li>`) is its own block, and the text around it goes to the enclosing one.
 */
function blocksOf(root: DomNode): Block[] {
  const blocks: Block[] = [];
  let current: { tag: string; text: string; linkChars: number } | null = null;
  const flush = (): void => {
    if (current) {
      const text = collapse(current.text);
      if (text) blocks.push({ tag: current.tag, text, linkChars: current.linkChars });
    }
  };
  const walk = (node: DomNode, inLink: boolean): void => {
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i]!;
      if (child.nodeType === TEXT_NODE) {
        if (current) {
          const text = child.textContent ?? '';
          current.text += text;
          if (inLink) current.linkChars += collapse(text).length;
        }
        continue;
      }
      if (child.nodeType !== ELEMENT_NODE) continue;
      const tag = child.localName ?? '';
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') {
        if (current) current.text += ' ';
        continue;
      }
      if (BLOCKS.has(tag)) {
        const outer = current;
        flush();
        current = { tag, text: '', linkChars: 0 };
        walk(child, inLink);
        flush();
        current = outer ? { tag: outer.tag, text: '', linkChars: 0 } : null;
        continue;
      }
      walk(child, inLink || tag === 'a');
    }
  };
  walk(root, false);
  flush();
  return blocks;
}

const linkShare = (b: Block): number => b.linkChars / b.text.length;

/**
 * Whether Readability's content is an article: enough prose (paragraphs and quotes that are not mostly links), and
 * not a list of headlines: link blocks (headlines, « lire aussi ») as many as half the prose paragraphs or more, or
 * more headings than prose paragraphs.
 */
function isArticle(all: readonly Block[], kept: readonly Block[]): boolean {
  const prose = kept.filter((b) => b.tag === 'p' || b.tag === 'blockquote');
  const proseChars = prose.reduce((n, b) => n + b.text.length, 0);
  if (prose.length < MIN_ARTICLE_PARAGRAPHS || proseChars < MIN_ARTICLE_CHARS) return false;
  const links = all.length - kept.length;
  const headings = all.filter((b) => HEADINGS.has(b.tag)).length;
  return links * 2 < prose.length && headings <= prose.length;
}

/**
 * The article of an HTML page: Readability (Firefox's reader view) over linkedom, after the page furniture is
 * removed. Null when the page holds no article: Readability finds none, or what it finds is too short (under
 * MIN_ARTICLE_CHARS of prose, or fewer than MIN_ARTICLE_PARAGRAPHS prose paragraphs), or is a list of headlines.
 * `url` is the page's address (links in the content resolve against it).
 */
export function extractArticle(html: string, url: string): ExtractedArticle | null {
  const doc = parse(html);
  // Readability resolves links against these; linkedom leaves them unset.
  Object.defineProperty(doc, 'baseURI', { value: url, configurable: true });
  Object.defineProperty(doc, 'documentURI', { value: url, configurable: true });
  removeFurniture(doc);
  if (!isProbablyReaderable(doc as never)) return null;
  const dateFallback = fallbackDate(doc);
  // Read before Readability, which rewrites the document it is given.
  const heading = doc.querySelector('h1')?.textContent;
  let article: ReturnType<Readability['parse']>;
  try {
    article = new Readability(doc as never, { maxElemsToParse: MAX_ELEMENTS }).parse();
  } catch {
    return null; // too many elements, or a page Readability cannot walk
  }
  if (!article?.content) return null;

  const content = parse(`<!DOCTYPE html><html><body>${article.content}</body></html>`);
  const all = blocksOf(content.body ?? { nodeType: ELEMENT_NODE, textContent: '', childNodes: [] });
  const blocks = all.filter((b) => linkShare(b) <= MAX_LINK_SHARE);
  if (!isArticle(all, blocks)) return null;

  const text = (s: string | null | undefined): string | null => (s ? collapse(s) || null : null);
  return {
    title: text(article.title) ?? text(heading) ?? '',
    siteName: text(article.siteName),
    byline: text(article.byline),
    publishedTime: (article.publishedTime ? normalizeDate(article.publishedTime) : null) ?? dateFallback,
    paragraphs: blocks.map((b) => b.text),
  };
}
