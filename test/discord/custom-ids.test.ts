import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../src/corpus/index.js';
import { decodeButton, encodeButton, MAX_CUSTOM_ID, type ButtonAction } from '../../src/discord/custom-ids.js';

const OWN = '123456789012345678';
const topics = [...TOPICS.map((t) => t.name), null];

/** Pieces a forged id is made of: valid fields, near misses, and text meant to render or ping. */
const piece = fc.oneof(
  fc.constantFrom('para', 'next', 'pub', 'src', 'nope', '', '*', 'a', 'c', 'q', OWN, '0', '1', '9', '10', '11'),
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
    ];
    for (const id of forged) expect(decodeButton(id), id).toBeNull();
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
        if (action.kind === 'next' || action.kind === 'pub') expect(action.userId).toMatch(/^[1-9]\d{16,19}$/u);
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
