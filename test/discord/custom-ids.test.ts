import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeButton as decodeWith,
  encodeButton,
  MAX_CUSTOM_ID,
  type ButtonAction,
} from '../../src/discord/custom-ids.js';
import { SEED_TOPICS } from '../helpers.js';

const OWN = '123456789012345678';
const topics = [...SEED_TOPICS.map((t) => t.name), null];
const isTopic = (name: string): boolean => SEED_TOPICS.some((t) => t.name === name);
/** Decodes against the bundled seeds' topics, as the router does for the index it serves. */
const decodeButton = (id: string): ButtonAction | null => decodeWith(id, isTopic);

/** Pieces a forged id is made of: valid fields, near misses, and text meant to render or ping. */
const piece = fc.oneof(
  fc.constantFrom(
    'para',
    'next',
    'pub',
    'src',
    'vote',
    'del',
    'up',
    'down',
    'nope',
    '',
    '*',
    'a',
    'c',
    'q',
    OWN,
    '0',
    '1',
    '9',
    '10',
    '11',
  ),
  fc.constantFrom('djingo', 'xiaomi', 'licornes', 'DJINGO', '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
  fc.constantFrom('abcdef', 'abcdef0123456789', 'ABCDEF', '01', '-1', '1e3', '999999', '99999999999999999999', ' 1'),
  fc.constantFrom('[Nitro gratuit ici](https://evil.example/p)', '**ANNONCE**', '@everyone', '<@&1>', `<@${OWN}>`),
  fc.string({ maxLength: 12 }),
);
const anyTopic = fc.constantFrom(...topics);
const validId = fc
  .oneof(
    fc.record({
      kind: fc.constant('para' as const),
      article: fc.constantFrom('abcdef', 'abcdef0123456789'),
      comment: fc.boolean(),
      paragraph: fc.nat(999_999),
    }),
    fc.record({ kind: fc.constant('next' as const), userId: fc.constant(OWN), topic: anyTopic, index: fc.nat(10) }),
    fc.record({ kind: fc.constant('pub' as const), userId: fc.constant(OWN), topic: anyTopic, index: fc.nat(9) }),
    fc.record({ kind: fc.constant('src' as const), topic: anyTopic, page: fc.nat(999_999) }),
    fc.record({
      kind: fc.constant('vote' as const),
      up: fc.boolean(),
      article: fc.constantFrom('abcdef', 'abcdef0123456789'),
    }),
    fc.record({ kind: fc.constant('del' as const), userId: fc.constant(OWN) }),
  )
  .map((a: ButtonAction) => encodeButton(a));
/** A valid id with one field replaced, or a field added or removed: the near misses a forger would try. */
const nearMiss = fc
  .tuple(validId, fc.nat(5), piece, fc.constantFrom('replace', 'add', 'drop'))
  .map(([id, at, p, how]) => {
    const parts = id.split('|');
    const i = at % parts.length;
    if (how === 'replace') parts[i] = p;
    else if (how === 'add') parts.splice(i, 0, p);
    else parts.splice(i, 1);
    return parts.join('|');
  });
const forgedId = fc.oneof(
  validId,
  nearMiss,
  fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('|')),
);

describe('button ids', () => {
  it('round-trip every action the bot renders', () => {
    const actions: ButtonAction[] = [
      { kind: 'para', article: 'abcdef012345', comment: true, paragraph: 12 },
      { kind: 'para', article: 'f'.repeat(64), comment: false, paragraph: 999_999 },
      { kind: 'next', userId: OWN, topic: 'djingo', index: 10 },
      { kind: 'next', userId: '12345678901234567', topic: null, index: 1 },
      { kind: 'pub', userId: '18446744073709551615', topic: null, index: 0 },
      { kind: 'pub', userId: OWN, topic: 'xiaomi', index: 9 },
      { kind: 'src', topic: 'xiaomi', page: 2 },
      { kind: 'src', topic: null, page: 0 },
      { kind: 'vote', up: true, article: 'abcdef012345' },
      { kind: 'vote', up: false, article: 'f'.repeat(64) },
      { kind: 'del', userId: OWN },
      { kind: 'del', userId: '18446744073709551615' },
    ];
    for (const a of actions) expect(decodeButton(encodeButton(a))).toEqual(a);
  });

  it('refuse forged ids: unknown topics, links, markdown, mentions, numbers out of range, stray separators', () => {
    const forged = [
      '',
      'boom|1|2',
      'para|xyz|a|1',
      'para|abcdef|q|1',
      'para|abcdef|a|1|',
      'para|abcdef|a|01',
      'para|abcdef|a|1000000',
      `next|notanid|djingo|1`,
      `next|<@${OWN}>|djingo|1`,
      `next|1234|djingo|1`,
      `next|${OWN}|djingo|11`,
      `next|${OWN}|djingo|-1`,
      `next|${OWN}|licornes|1`,
      `next|${OWN}|__proto__|1`,
      `next|${OWN}||1`,
      `next|${OWN}|djingo|1|x`,
      `pub|${OWN}|[Nitro gratuit ici](https://evil.example/p)|0`,
      `pub|${OWN}|constructor|0`,
      `pub|${OWN}|djingo|10`,
      `pub|${OWN}|djingo`,
      'src|**ANNONCE** : [connectez-vous](https://evil.example/login)|0',
      'src|toString|0',
      'src|hasOwnProperty|0',
      'src|*|-1',
      'src|djingo|1000000',
      'src|djingo|0|',
      'src|djingo',
      'vote|up',
      'vote|yes|abcdef012345',
      'vote|UP|abcdef012345',
      'vote|up|ABCDEF012345',
      'vote|up|abcde',
      `vote|up|${'a'.repeat(65)}`,
      'vote|up|abcdef012345|',
      'vote|down|abcdef012345|x',
      'vote|up|[Nitro gratuit ici](https://evil.example/p)',
      'vote||abcdef012345',
      'del',
      'del|',
      'del|1234',
      `del|0${OWN.slice(1)}`,
      'del|18446744073709551616',
      `del|<@${OWN}>`,
      `del|${OWN}|`,
      `del|${OWN}|djingo`,
      '@everyone',
    ];
    for (const id of forged) expect(decodeButton(id), id).toBeNull();
  });

  it('know the topics they are told about: those of the index served, not a fixed list', () => {
    const licornes = (name: string): boolean => name === 'licornes';
    expect(decodeWith('src|licornes|0', licornes)).toEqual({ kind: 'src', topic: 'licornes', page: 0 });
    expect(decodeWith(`next|${OWN}|licornes|1`, licornes)).toEqual({
      kind: 'next',
      userId: OWN,
      topic: 'licornes',
      index: 1,
    });
    expect(decodeWith('src|djingo|0', licornes)).toBeNull();
    expect(decodeWith('src|*|0', () => false)).toEqual({ kind: 'src', topic: null, page: 0 });
    // Votes and deletions name no topic: they decode whatever the topics.
    expect(decodeWith('vote|down|abcdef', () => false)).toEqual({ kind: 'vote', up: false, article: 'abcdef' });
    expect(decodeWith(`del|${OWN}`, () => false)).toEqual({ kind: 'del', userId: OWN });
  });

  it('decode only canonical ids of known topics, in range (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(forgedId, fc.string({ maxLength: 100 })), (id) => {
        const action = decodeButton(id);
        if (action === null) return;
        accepted++;
        // Whatever is accepted is exactly what the bot would have written: same bytes, known topic, in range.
        expect(encodeButton(action)).toBe(id);
        expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
        if ('topic' in action) expect(topics).toContain(action.topic);
        if (action.kind === 'next') expect(action.index).toBeLessThanOrEqual(10);
        if (action.kind === 'pub') expect(action.index).toBeLessThan(10);
        if (action.kind === 'next' || action.kind === 'pub' || action.kind === 'del')
          expect(action.userId).toMatch(/^[1-9]\d{16,19}$/u);
        if (action.kind === 'vote' || action.kind === 'para') expect(action.article).toMatch(/^[0-9a-f]{6,64}$/u);
        // No markdown, link or mention syntax can be in it ('*' stands for every topic and is never shown).
        expect(id).not.toMatch(/[[\]()_`~<>@:\\\s]/u);
      }),
      { seed: 11, numRuns: 4_000 },
    );
    // Valid ids and near misses are both drawn often: the property is not vacuous.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(3_500);
  });
});
