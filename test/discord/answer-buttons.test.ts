import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeButton, MAX_CUSTOM_ID } from '../../src/discord/custom-ids.js';
import {
  LIMITS,
  renderAnswer,
  renderParagraph,
  type AnswerView,
  type MessageBody,
} from '../../src/discord/render/index.js';
import { answer, result } from '../answer-fixtures.js';

const ASKER = '123456789012345678';
const view = { index: 0, userId: ASKER, ephemeral: false, rerunnable: true };
const isTopic = (name: string): boolean => name === 'djingo' || name === 'xiaomi';

const buttons = (msg: MessageBody): APIButtonComponent[] => msg.components.flatMap((row) => row.components);
const labelled = (msg: MessageBody, label: string): APIButtonComponent | undefined =>
  buttons(msg).find((b) => 'label' in b && b.label === label);
const linkOf = (url: string | null, v = view): APIButtonComponent | undefined =>
  labelled(renderAnswer(answer([result({ url })]), v), 'Lire l’article');

/** Every row within Discord's five buttons, every custom id within 100 characters and one the bot can decode. */
function expectValidRows(msg: MessageBody): void {
  expect(msg.components.length).toBeLessThanOrEqual(5);
  for (const row of msg.components) {
    expect(row.type).toBe(ComponentType.ActionRow);
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const b of row.components) {
      if (b.style === ButtonStyle.Link) continue;
      expect('custom_id' in b && b.custom_id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
      expect(decodeButton((b as { custom_id: string }).custom_id, isTopic)).not.toBeNull();
    }
  }
}

describe('« Lire l’article »', () => {
  it('links to an http(s) article, as a link button with no custom id', () => {
    for (const url of ['https://www.presse-citron.net/orange-djingo/', 'http://exemple.fr/a?b=1#c']) {
      const link = linkOf(url);
      expect(link).toEqual({ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Lire l’article', url });
      expect(link).not.toHaveProperty('custom_id');
    }
    // Normalized as the URL parser writes it: what Discord is given is a well-formed address.
    expect(linkOf('  HTTPS://Exemple.FR/un article ')).toMatchObject({ url: 'https://exemple.fr/un%20article' });
  });

  it('is left out for no url, another scheme, credentials, a malformed or a too long url', () => {
    const refused = [
      null,
      '',
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://exemple.fr/a',
      'https://moi:secret@exemple.fr/a',
      'exemple.fr/article',
      'https://',
      `https://exemple.fr/${'a'.repeat(600)}`,
    ];
    for (const url of refused) expect(linkOf(url), String(url)).toBeUndefined();
    // 512 characters is Discord's limit for a link: the longest accepted, one more refused.
    const at = (n: number): string => `https://exemple.fr/${'a'.repeat(n - 'https://exemple.fr/'.length)}`;
    expect(linkOf(at(512))).toMatchObject({ url: at(512) });
    expect(linkOf(at(513))).toBeUndefined();
  });

  it('comes on the first row, after the question buttons, in private and in public', () => {
    const url = 'https://exemple.fr/a';
    const two = answer([result({ url }), result({ article: 'b.txt', articleHash: '0123456789ab' })]);
    const priv = renderAnswer(two, { ...view, ephemeral: true });
    expect(priv.components[0]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Paragraphe complet',
      'Autre passage',
      'Publier dans le salon',
      'Lire l’article',
    ]);
    expectValidRows(priv);
    // The link is that of the passage shown: « Autre passage » on a result without a url shows none.
    expect(labelled(renderAnswer(two, { ...view, index: 1 }), 'Lire l’article')).toBeUndefined();
  });

  it('is under « Paragraphe complet » too, with the same rules', () => {
    const source = { title: 'T', source: null, date: null, paragraph: 1, kind: 'article' as const };
    const shown = renderParagraph({ ...source, url: 'https://exemple.fr/a' }, 'Un paragraphe.');
    expect(buttons(shown)).toEqual([
      { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Lire l’article', url: 'https://exemple.fr/a' },
    ]);
    expect(renderParagraph({ ...source, url: 'javascript:alert(1)' }, 'Un paragraphe.').components).toEqual([]);
    expect(renderParagraph({ ...source, url: null }, 'Un paragraphe.').components).toEqual([]);
  });
});

describe('feedback buttons', () => {
  it('vote up and down on the article of the passage shown', () => {
    const two = answer([result(), result({ article: 'b.txt', articleHash: '0123456789ab' })]);
    for (const [index, hash] of [
      [0, 'abcdef012345'],
      [1, '0123456789ab'],
    ] as const) {
      const msg = renderAnswer(two, { ...view, index });
      const id = (label: string): string => (labelled(msg, label) as { custom_id: string }).custom_id;
      expect(decodeButton(id('👍 Utile'), isTopic)).toEqual({ kind: 'vote', up: true, article: hash });
      expect(decodeButton(id('👎 Pas utile'), isTopic)).toEqual({ kind: 'vote', up: false, article: hash });
      expect(msg.components[1]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
        '👍 Utile',
        '👎 Pas utile',
        'Supprimer',
      ]);
    }
  });

  it('offer « Supprimer » only on a public answer, for the member who asked', () => {
    const pub = renderAnswer(answer([result()]), view);
    const del = labelled(pub, 'Supprimer') as { custom_id: string; style: ButtonStyle };
    expect(decodeButton(del.custom_id, isTopic)).toEqual({ kind: 'del', userId: ASKER });
    expect(del.style).toBe(ButtonStyle.Danger);
    // Suggested to someone or shared by the asker: still the asker's to delete.
    const target = '876543210987654321';
    for (const v of [
      { ...view, suggestTo: target },
      { ...view, sharedBy: ASKER },
    ]) {
      const id = (labelled(renderAnswer(answer([result()]), v), 'Supprimer') as { custom_id: string }).custom_id;
      expect(decodeButton(id, isTopic)).toEqual({ kind: 'del', userId: ASKER });
    }
    expect(labelled(renderAnswer(answer([result()]), { ...view, ephemeral: true }), 'Supprimer')).toBeUndefined();
  });

  it('keep every row within five buttons and every id within 100 characters, whatever the view', () => {
    const url = 'https://exemple.fr/a';
    const many = answer(
      Array.from({ length: 10 }, (_, i) => result({ url, article: `${i}.txt`, articleHash: 'f'.repeat(64) })),
      { topic: 'xiaomi' },
    );
    for (const ephemeral of [false, true])
      for (const rerunnable of [false, true])
        for (const index of [0, 5, 9]) {
          const msg = renderAnswer(many, { index, userId: '18446744073709551615', ephemeral, rerunnable });
          expect(msg.components).toHaveLength(2);
          expectValidRows(msg);
        }
    // Without « Autre passage » (« Chercher la source »), the first row has the paragraph and the link only.
    const lookup = renderAnswer(many, { ...view, ephemeral: true, rerunnable: false });
    expect(lookup.components[0]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Paragraphe complet',
      'Lire l’article',
    ]);
  });
});

describe('a question with no answer', () => {
  /** The text between the ```text fence and its closing fence, or null when there is no closed block. */
  const block = (content: string): string | null => /\n```text\n([^`]*)\n```(?:\n|$)/u.exec(content)?.[1] ?? null;
  /** What a reader copies of the block: the zero-width spaces that break mentions are invisible. */
  const copied = (text: string): string => text.replace(/\u200b/gu, '');

  it('says how to rephrase, with the question again in a ```text block, and no button', () => {
    const question = 'Quelle est la capitale du Japon ?';
    const msg = renderAnswer(answer([], { question, unmatched: ['capitale', 'Japon'] }), view);
    expect(msg.content).toContain('**Reformuler\u202f:** copiez la question ci-dessous');
    expect(msg.content).toContain('une question sans réponse ne déclenche pas le délai d’attente');
    expect(block(msg.content)).toBe(question);
    expect(msg.components).toEqual([]);
    // The block comes before the count of articles consulted, which stays the last line.
    expect(msg.content.indexOf('```text')).toBeLessThan(msg.content.indexOf('-# 2 articles consultés'));
    expect(msg.content.endsWith('-# 2 articles consultés')).toBe(true);
  });

  it('keeps a 200-character question full of backticks and mentions in a closed block, within 2000, no ping', () => {
    const unit = '`@everyone <@123456789012345678> ``` <@&987654321098765432> @here ';
    const question = unit.repeat(4).slice(0, 200);
    expect(question).toHaveLength(200);
    const unmatched = ['everyone', 'here', '`code`'];
    const views: AnswerView[] = [view, { ...view, ephemeral: true }, { ...view, suggestTo: '876543210987654321' }];
    for (const v of views) {
      const msg = renderAnswer(answer([], { question, unmatched }), v);
      expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
      const shown = block(msg.content);
      expect(shown).not.toBeNull();
      // No backtick can close the block early: they show as « ˋ ».
      expect(shown).not.toContain('`');
      expect(msg.content.match(/```/gu)).toHaveLength(2);
      // Mentions do not render, even in the block, and nobody but the member suggested to can be pinged.
      expect(shown).not.toMatch(/@everyone|@here|<@/u);
      expect(msg.allowedMentions).toEqual(v.suggestTo ? { parse: [], users: [v.suggestTo] } : { parse: [] });
      // What is copied is the question as typed, backticks aside, from its start.
      const typed = copied(shown!).replace(/ˋ/gu, '`');
      expect(question.startsWith(typed.replace(/…$/u, ''))).toBe(true);
      expect(typed.length).toBeGreaterThan(100);
    }
  });

  it('keeps its block closed within 2000 characters for the longest text searched, every word unmatched', () => {
    // « Chercher la source » searches up to 500 characters: 100 words, none of which the articles use.
    const words = Array.from({ length: 100 }, (_, i) => `z${String(i).padStart(3, '0')}`);
    const question = words.join(' ').slice(0, 500);
    const msg = renderAnswer(answer([], { question, unmatched: words, articlesSearched: 12_345 }), {
      ...view,
      suggestTo: '18446744073709551615',
    });
    expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(msg.content).toContain('«\u00a0z099\u00a0»');
    expect(block(msg.content)).not.toBeNull();
    expect(msg.content.endsWith('-# 12\u202f345 articles consultés')).toBe(true);
  });
});
