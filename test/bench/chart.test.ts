import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, PANELS, renderGrowthSvg } from '../../bench/chart.js';
import { compare, computeTargets, growthOf, renderMarkdown, type BenchResults } from '../../bench/report.js';
import { ROOT } from '../helpers.js';

/** A benchmark JSON of three sizes; plain MiniSearch failed at 100,000 articles (as its JSON.stringify does). */
const fixture = (): BenchResults =>
  JSON.parse(readFileSync(path.join(ROOT, 'test', 'bench', 'growth-fixture.json'), 'utf8')) as BenchResults;

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (/[<]/u.test(s)) throw new Error(`raw < at ${where}`);
  return s.replace(/&([^;\s]*);?/gu, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    if (/^#\d+$/u.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (/^#x[\da-f]+$/iu.test(name)) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    throw new Error(`unknown entity &${name}; at ${where}`);
  });
}

/**
 * A strict parser for the XML the chart writes (no dependency for it in the project): one root element, every tag
 * closed in order, attributes quoted and not repeated, only XML's own entities; throws on anything else.
 */
function parseXml(xml: string): XmlElement {
  const NAME = /[A-Za-z_][\w.:-]*/uy;
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (!m) fail('a name expected');
    i += m![0].length;
    return m![0];
  };
  const spaces = (): void => {
    while (/\s/u.test(xml[i] ?? '')) i++;
  };
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root');
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text, i);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      i += 2;
      const closing = name();
      spaces();
      if (xml[i] !== '>') fail('> expected');
      i++;
      const open = stack.pop();
      if (!open || open.name !== closing) fail(`</${closing}> closes <${open?.name}>`);
    } else {
      i++;
      if (stack.length === 0 && root) fail('a second root element');
      const element: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
      for (;;) {
        const before = i;
        spaces();
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (i === before) fail('space expected between attributes');
        const attr = name();
        spaces();
        if (xml[i] !== '=') fail('= expected');
        i++;
        spaces();
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") fail('a quoted value expected');
        const end = xml.indexOf(quote!, i + 1);
        if (end < 0) fail('unclosed attribute');
        if (attr in element.attrs) fail(`attribute ${attr} twice`);
        element.attrs[attr] = decode(xml.slice(i + 1, end), i);
        i = end + 1;
      }
      const selfClosing = xml.startsWith('/>', i);
      i += selfClosing ? 2 : 1;
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const all = (e: XmlElement, pred: (x: XmlElement) => boolean): XmlElement[] => [
  ...(pred(e) ? [e] : []),
  ...e.children.flatMap((c) => all(c, pred)),
];
const byClass = (e: XmlElement, cls: string): XmlElement[] => all(e, (x) => x.attrs['class'] === cls);
/** Text of an element and its children (a <title> inside included). */
const textOf = (e: XmlElement): string => e.text + e.children.map(textOf).join('');

/** Centre of a point's marker: a circle, a square or a triangle. */
function centre(point: XmlElement): [number, number] {
  const m = point.children.find((c) => c.name !== 'title')!;
  if (m.name === 'circle') return [Number(m.attrs['cx']), Number(m.attrs['cy'])];
  if (m.name === 'rect') return [Number(m.attrs['x']) + 4, Number(m.attrs['y']) + 4];
  const [top, right] = m.attrs['points']!.split(' ').map((p) => p.split(',').map(Number));
  return [top![0]!, right![1]! - 3.5];
}

describe('the growth chart (bench/chart.ts)', () => {
  const svg = renderGrowthSvg([fixture()])!;
  const doc = parseXml(svg);

  it('is a well-formed SVG document', () => {
    expect(doc.name).toBe('svg');
    expect(doc.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(doc.attrs['viewBox']).toMatch(/^0 0 \d+ \d+$/u);
    expect(() => parseXml('<svg><g></svg>')).toThrow();
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow();
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow();
  });

  it('names the machine and the commit, escaped', () => {
    const [machine] = byClass(doc, 'machine');
    expect(textOf(machine!)).toContain('Test CPU <fast> & cool, 2 cores, 23.5 GiB RAM, Node v20.20.2');
    expect(textOf(machine!)).toContain('code abc1234');
    expect(svg).toContain('Test CPU &lt;fast&gt; &amp; cool');
  });

  it('has a panel per figure, with its axes on a log scale of articles', () => {
    const panels = byClass(doc, 'panel');
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(PANELS.map((p) => p.metric));
    expect(byClass(doc, 'panel-title').map(textOf)).toEqual([
      'npm run index: time per article (ms)',
      'npm run index: peak RSS per article (KB)',
    ]);
    for (const panel of panels) {
      const [x] = byClass(panel, 'x-axis');
      expect(byClass(x!, 'tick').map(textOf)).toEqual(['1,000', '10,000', '100,000']);
      expect(byClass(x!, 'axis-title').map(textOf)).toEqual(['articles (log scale)']);
      const ticks = byClass(x!, 'tick').map((t) => Number(t.attrs['x']));
      // Log scale: each decade the same width.
      expect(ticks[2]! - ticks[1]!).toBeCloseTo(ticks[1]! - ticks[0]!, 0);
      const [y] = byClass(panel, 'y-axis');
      const yTicks = byClass(y!, 'tick').map((t) => Number(textOf(t).replace(/,/gu, '')));
      expect(yTicks[0]).toBe(0);
      expect(yTicks).toEqual([...yTicks].sort((a, b) => a - b));
    }
    expect(byClass(doc, 'legend').map((l) => textOf(l))).toEqual(['ours', 'plain MiniSearch', 'FlexSearch']);
  });

  it('draws each system’s figures from the JSON, leaving out what failed', () => {
    const [time, rss] = byClass(doc, 'panel');
    const points = (panel: XmlElement, system: string): XmlElement[] =>
      byClass(byClass(panel, 'series').find((s) => s.attrs['data-system'] === system)!, 'point');
    const values = (panel: XmlElement, system: string): [number, number][] =>
      points(panel, system).map((p) => [Number(p.attrs['data-articles']), Number(p.attrs['data-value'])]);
    // index wall time / articles: 2,400 ms / 1,000, 11,800 / 10,000, 98,000 / 100,000.
    expect(values(time!, 'ours')).toEqual([
      [1000, 2.4],
      [10000, 1.18],
      [100000, 0.98],
    ]);
    // Plain MiniSearch's build failed at 100,000: no point there, and no zero.
    expect(values(time!, 'plain')).toEqual([
      [1000, 1.8],
      [10000, 1.49],
    ]);
    expect(values(rss!, 'flexsearch').map(([n]) => n)).toEqual([1000, 10000, 100000]);
    expect(values(rss!, 'ours')[0]![1]).toBe(327.7); // 320 MB × 1,024 / 1,000, four digits
    // Higher values are drawn higher, further right for larger corpora.
    const [a, b, c] = points(time!, 'ours').map(centre);
    expect(a![1]).toBeGreaterThan(0);
    expect(a![1]).toBeLessThan(b![1]);
    expect(b![1]).toBeLessThan(c![1]);
    expect(a![0]).toBeLessThan(b![0]);
    expect(b![0] - a![0]).toBeCloseTo(c![0] - b![0], 0);
    // Each series' line goes through its points.
    const line = all(byClass(time!, 'series')[0]!, (x) => x.name === 'polyline')[0]!;
    expect(line.attrs['points']!.split(' ')).toHaveLength(3);
    expect(textOf(points(time!, 'ours')[1]!)).toBe('ours, 10,000 articles: 1.18 ms');
  });

  it('is not drawn from fewer than two sizes', () => {
    const one = fixture();
    one.sizes = one.sizes.slice(0, 1);
    expect(renderGrowthSvg([one])).toBeNull();
    // Sizes of two runs are merged, a later run's size winning.
    const a = fixture();
    a.sizes = a.sizes.slice(0, 1);
    const b = fixture();
    b.sizes = b.sizes.slice(1, 2);
    expect(byClass(parseXml(renderGrowthSvg([a, b])!), 'point')).toHaveLength(2 * 6);
  });

  it('has round ticks', () => {
    expect(linearTicks(2.4)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(linearTicks(330)).toEqual([0, 100, 200, 300, 400]);
    expect(logTicks(1000, 100000)).toEqual([1000, 10000, 100000]);
    expect(logTicks(1000, 500000)).toEqual([1000, 10000, 100000, 500000]);
  });
});

describe('the ratios, growth and targets of the report (bench/report.ts)', () => {
  it('computes ours ÷ each baseline and marks each target met or not', () => {
    const res = fixture();
    const c = compare(res.sizes[1]!)!;
    expect(c.index.time.vsPlain).toBeCloseTo(11800 / 14900, 3);
    expect(c.index.time.vsFlexsearch).toBeCloseTo(11800 / 14000, 3);
    expect(c.ask.peakRss.vsFlexsearch).toBe(0.6);
    expect(compare(res.sizes[2]!)!.index.time.vsPlain).toBeNull();
    expect(growthOf(res.sizes[0]!)!.ours!.snapshotBytesPerSeedByte).toBeCloseTo(6.3e6 / 3.1e6, 3);
    const targets = Object.fromEntries(computeTargets(res).map((t) => [t.id, t.met]));
    expect(targets['index-vs-plain']).toBe(false); // ×0.79 > 0.6
    expect(targets['index-vs-flexsearch']).toBe(true);
    expect(targets['ask-vs-flexsearch']).toBe(true);
    expect(targets['latency-p99']).toBeNull(); // no in-process figures in the fixture
    expect(targets['completed-100000']).toBe(true);
    const md = renderMarkdown(res);
    expect(md).toContain('Test CPU <fast> & cool');
    expect(md).toMatch(/\| 10,000 \| 11\.8 \(×0\.79 plain, ×0\.84 Flex\) \|/u);
  });
});
