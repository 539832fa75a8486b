/**
 * Names every plain object already has (`__proto__`, `constructor`, `toString`, `hasOwnProperty`, `valueOf`) in the
 * JSON the project reads from people: the evaluation's question files (kinds, topics, ids) and the CLI's --jsonl
 * lines. A lookup keyed by such text must be a Map or check own keys: `{}[kind]` finds Object.prototype.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { answerLine } from '../../src/app/cli.js';
import { formatSetReport, parseEvalFile, score, type Answerer } from '../../src/eval/index.js';
import { bundledIndex } from '../helpers.js';
import { logSummary } from './helpers.js';

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Anything a crafted key may have written onto the shared prototypes. */
const polluted = (): string[] =>
  ['questions', 'answerable', 'hit1', 'noAnswer'].filter(
    (k) => Object.hasOwn(Object.prototype, k) || Object.hasOwn(Object, k) || Object.hasOwn(Function.prototype, k),
  );

afterEach(() => {
  // A failing case must not leak into the next one.
  for (const o of [Object.prototype, Object, Function.prototype] as Record<string, unknown>[])
    for (const k of ['questions', 'answerable', 'hit1', 'hit3', 'reciprocal', 'noAnswer', 'noAnswerRight', 'hedged'])
      delete o[k];
});

describe('prototype keys in the evaluation’s question files', () => {
  const lines = KEYS.flatMap((k, i) => [
    JSON.stringify({ id: k, topic: k, q: `what is the ${k}`, any: ['149'], kind: k }),
    JSON.stringify({ id: `n${i}`, topic: null, q: `${k} ${k}`, any: [], kind: k }),
  ]);
  const answer: Answerer = (q) => ({ answered: q.any.length > 0, hedged: false, quotes: ['149 euros'] });

  it('are counted as kinds of their own, and write nothing onto Object.prototype', () => {
    const questions = parseEvalFile(lines.join('\n'));
    const result = score(questions, answer);
    expect(polluted()).toEqual([]);
    for (const k of KEYS) {
      expect(Object.hasOwn(result.byKind, k), k).toBe(true);
      expect(result.byKind[k], k).toMatchObject({ questions: 2, answerable: 1, hit1: 1, noAnswer: 1 });
    }
    const report = formatSetReport('prototype', result, result, false);
    for (const k of KEYS) expect(report).toMatch(new RegExp(`^${k} `, 'mu'));
    logSummary([
      {
        fault: 'eval question file with prototype keys as kinds, topics and ids',
        cases: lines.length,
        outcome: 'each key a kind of its own, no prototype written',
      },
    ]);
  });

  it('say which line is wrong when a field is not text', () => {
    for (const bad of [{ id: 5 }, { kind: {} }, { topic: ['djingo'] }, { any: [149] }])
      expect(() => parseEvalFile(JSON.stringify({ q: 'x', any: ['y'], ...bad })), JSON.stringify(bad)).toThrow(
        /ligne 1/u,
      );
  });
});

describe('prototype keys in the CLI’s --jsonl lines', () => {
  it('as questions, topics and keys: an answer or a French error, never a crash', async () => {
    const index = await bundledIndex();
    let cases = 0;
    for (const k of KEYS) {
      for (const line of [
        { q: `what is the ${k}` },
        { q: k, topic: k },
        { q: 'Combien coûtait l’enceinte ?', topic: k },
        { [k]: { q: 'x' } },
      ]) {
        const out = answerLine(index, JSON.stringify(line), 3) as Record<string, unknown>;
        const error = typeof out['error'] === 'string' ? out['error'] : null;
        if (error !== null) expect(error, JSON.stringify(line)).not.toMatch(/erreur interne/u);
        else expect(out['question'], JSON.stringify(line)).toBe(line.q);
        if ('topic' in line) expect(error, JSON.stringify(line)).toMatch(/sujet inconnu/u);
        cases++;
      }
    }
    expect(polluted()).toEqual([]);
    logSummary([
      {
        fault: '--jsonl lines with prototype keys as questions, topics, keys',
        cases,
        outcome: 'an answer or a French error each',
      },
    ]);
  });
});
