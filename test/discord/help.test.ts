import { describe, expect, it } from 'vitest';
import type { TopicDefinition } from '../../src/corpus/index.js';
import { topicCounts } from '../../src/discord/index.js';
import { LIMITS, renderHelp, renderTopics, type TopicCount } from '../../src/discord/render/index.js';
import { bundledIndex, SEED_TOPICS } from '../helpers.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

const def = (name: string, overrides: Partial<TopicDefinition> = {}): TopicDefinition => ({
  name,
  label: name[0]!.toUpperCase() + name.slice(1),
  description: `Questions sur ${name}`,
  match: [name],
  ...overrides,
});

/** Three topics holding none, one and two articles. */
const three: TopicCount[] = [
  { topic: def('licornes', { example: 'Combien coûte une licorne ?' }), articles: 0 },
  { topic: def('dragons'), articles: 1 },
  { topic: def('trolls'), articles: 2 },
];

/** 25 topics at the limits of the topics file: names of 32, labels of 50 all markdown, examples of 150. */
const longest: TopicCount[] = Array.from({ length: 25 }, (_, i) => ({
  topic: def(`${'s'.repeat(28)}${String(i).padStart(4, '0')}`, {
    label: `**${'_~|`'.repeat(12)}**`.slice(0, 50),
    description: 'D'.repeat(100),
    example: `${'`@everyone <@&1> **gras** '.repeat(6).slice(0, 148)} ?`,
  }),
  articles: 1000 * i,
}));

/** What a reader sees: backslash escapes and zero-width spaces are invisible. */
const seen = (content: string): string => content.replace(/\\(.)/gu, '$1').replace(/\u200b/gu, '');

describe('/sujets', () => {
  it('lists each topic with its command, label and article count, agreed in number', () => {
    const { content, allowedMentions } = renderTopics(three, 3);
    expect(content.split('\n')).toEqual([
      '**Sujets** (3 articles indexés en tout)',
      '• `/licornes` — Licornes (aucun article)',
      '• `/dragons` — Dragons (1 article)',
      '• `/trolls` — Trolls (2 articles)',
      '`/recherche` cherche dans tous les articles, quel que soit leur sujet.',
    ]);
    expect(allowedMentions).toEqual({ parse: [] });
    expect(renderTopics(three.slice(1, 2), 1).content).toContain('**Sujets** (1 article indexé en tout)');
    expect(renderTopics([], 0).content).toBe(
      `**Sujets** (aucun article indexé en tout)\nAucun sujet défini${NNBSP}: posez vos questions avec \`/recherche\`.`,
    );
  });

  it('shows a label from the topics file escaped: no markdown, link or mention of its own', () => {
    const label = '**ANNONCE** [Nitro](https://evil.example) @everyone <@&1300000000000000099>';
    const { content } = renderTopics([{ topic: def('piege', { label }), articles: 1 }], 1);
    expect(content).not.toContain('**ANNONCE**');
    expect(content).not.toMatch(/(?<!\\)\[Nitro\]\(/u);
    expect(content).not.toMatch(/@everyone|<@&/u);
    // Escaped, it reads the same (cut at 50 characters, as a label is at most).
    expect(seen(content)).toContain(label.slice(0, 40));
  });

  it('stays within 2000 characters with 25 topics at the limits, and lists 25 ordinary topics in full', () => {
    const { content } = renderTopics(longest, 24_000);
    expect(content.length).toBeLessThanOrEqual(LIMITS.content);
    const ordinary = Array.from({ length: 25 }, (_, i) => ({ topic: def(`sujet${i}`), articles: i }));
    const full = renderTopics(ordinary, 300).content;
    expect(full.length).toBeLessThanOrEqual(LIMITS.content);
    for (const { topic, articles } of ordinary)
      expect(full).toContain(`\`/${topic.name}\` — ${topic.label} (${articles === 0 ? 'aucun article' : ''}`);
    expect(full.endsWith('quel que soit leur sujet.')).toBe(true);
  });

  it('counts the articles of the bundled seeds’ topics', async () => {
    const counts = topicCounts(await bundledIndex());
    expect(counts.map((c) => [c.topic.name, c.articles])).toEqual([
      ['djingo', 2],
      ['xiaomi', 1],
    ]);
    expect(counts.map((c) => c.topic)).toEqual(SEED_TOPICS);
    const { content } = renderTopics(counts, 3);
    expect(content).toContain('• `/djingo` — Djingo (2 articles)');
    expect(content).toContain('• `/xiaomi` — Xiaomi (1 article)');
  });
});

describe('/aide', () => {
  it('gives one example per question command: the topic’s own, or one naming its label', () => {
    const { content } = renderHelp(three, 3);
    expect(content).toContain(
      `• \`/licornes\` — Licornes (aucun article)${NNBSP}: \`/licornes question: Combien coûte une licorne${NNBSP}?\``,
    );
    expect(content).toContain(
      `• \`/dragons\` — Dragons (1 article)${NNBSP}: ` +
        `\`/dragons question: Que disent les articles sur Dragons${NNBSP}?\``,
    );
    // /recherche takes the first topic's example.
    expect(content).toContain(`• \`/recherche question: Combien coûte une licorne${NNBSP}?\` — dans tous les articles`);
    expect(content).toContain('`/sources sujet: Licornes`');
  });

  it('ends with the topics, their counts agreed in number, and an example each', () => {
    const lines = renderHelp(three, 3).content.split('\n');
    expect(lines.slice(-4).map((l) => l.split(`${NNBSP}: `)[0])).toEqual([
      '**Sujets** (3 articles indexés en tout)',
      '• `/licornes` — Licornes (aucun article)',
      '• `/dragons` — Dragons (1 article)',
      '• `/trolls` — Trolls (2 articles)',
    ]);
    expect(renderHelp(three.slice(1, 2), 1).content).toContain('(1 article indexé en tout)');
  });

  it('names every command and every button of an answer', () => {
    const { content } = renderHelp(three, 3);
    for (const command of ['/recherche', '/sources', '/sujets', '/aide', '/ajouter', '/reindex', '/stats'])
      expect(content).toContain(`\`${command}`);
    for (const label of ['Paragraphe complet', 'Autre passage', 'Lire l’article', '👍 Utile', '👎 Pas utile'])
      expect(content).toContain(`«${NBSP}${label}${NBSP}»`);
    expect(content).toContain(`«${NBSP}Chercher la source${NBSP}»`);
  });

  it('without topics, asks through /recherche with a generic example', () => {
    const { content } = renderHelp([], 0);
    expect(content).toContain(`• \`/recherche question: De quoi parlent les articles${NNBSP}?\``);
    expect(content).toContain(`Aucun sujet défini${NNBSP}: posez vos questions avec \`/recherche\`.`);
    expect(content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('stays within 2000 characters with 25 topics at the limits, nothing in it live', () => {
    const { content, allowedMentions } = renderHelp(longest, 24_000);
    expect(content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(allowedMentions).toEqual({ parse: [] });
    expect(content).not.toMatch(/@everyone|<@&/u);
    // An example's backticks cannot end its code span early: the spans of each line pair up.
    for (const line of content.split('\n').filter((l) => l.includes(' question: ')))
      expect((line.match(/`/gu) ?? []).length % 2, line).toBe(0);
    // The topics that do not fit are counted, and /sujets named, rather than cut off silently.
    const listed = longest.filter(({ topic }) => content.includes(`\`/${topic.name}\``)).length;
    expect(listed).toBeGreaterThan(5);
    expect(content).toContain(`• … et ${25 - listed} autres sujets${NNBSP}: \`/sujets\` les montre tous`);
    // 25 ordinary topics are all listed.
    const ordinary = Array.from({ length: 25 }, (_, i) => ({ topic: def(`sujet${i}`), articles: i }));
    const full = renderHelp(ordinary, 300).content;
    for (const { topic } of ordinary) expect(full).toContain(`\`/${topic.name}\` — `);
    expect(full.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('shows the labels escaped, as /sujets does', () => {
    const label = '**ANNONCE** @everyone';
    const { content } = renderHelp([{ topic: def('piege', { label }), articles: 1 }], 1);
    expect(content).toContain('• `/piege` — \\*\\*ANNONCE\\*\\* @\u200beveryone (1 article)');
  });
});
