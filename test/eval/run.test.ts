import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvalUsageError, openEvalCorpus, runEvaluation, selectSets } from '../../src/eval/index.js';
import { tempDir } from '../helpers.js';

const ARTICLE_A =
  ' title La mairie rénove la piscine\n source Le Journal\n date 2021-03-04\n\n' +
  'La mairie a présenté mardi le projet de rénovation de la piscine municipale, fermée depuis deux ans. ' +
  'Les travaux coûteront 4 millions d’euros et dureront dix-huit mois selon les services techniques.\n\n' +
  'Le maire a promis que les bassins rouvriraient au public pour les vacances d’été de l’année prochaine.\n';
const ARTICLE_B =
  ' title Le festival de jazz change de parc\n source La Gazette\n date 2022-05-10\n\n' +
  'Le festival de jazz quittera cette année le centre-ville pour s’installer dans le parc des Églantiers. ' +
  'Les organisateurs attendent près de trente mille spectateurs pendant les trois jours du festival.\n\n' +
  'La billetterie ouvrira le premier juin et les concerts du dimanche resteront gratuits pour les enfants.\n';

/** A repository with two seeds folders, a question file and a manifest naming two sets. */
function repo(): { root: string; a: string; b: string; questions: string } {
  const root = tempDir('djingo-eval-run-');
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(path.join(a, '02_piscine.txt'), ARTICLE_A);
  writeFileSync(path.join(a, 'notes.md'), 'pas un article');
  writeFileSync(path.join(b, '01_jazz.txt'), ARTICLE_B);
  const questions = path.join(root, 'q.jsonl');
  writeFileSync(
    questions,
    [
      {
        id: 'j1',
        topic: null,
        q: 'Combien de spectateurs sont attendus au festival de jazz ?',
        any: ['trente mille'],
        kind: 'fact',
      },
      { id: 'p1', topic: null, q: 'Combien coûteront les travaux de la piscine ?', any: ['4 millions'], kind: 'fact' },
      { id: 'n1', topic: null, q: 'Quelle est la capitale du Japon ?', any: [], kind: 'noanswer' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  mkdirSync(path.join(root, 'test', 'fixtures', 'eval'), { recursive: true });
  writeFileSync(
    path.join(root, 'test', 'fixtures', 'eval', 'sets.json'),
    JSON.stringify({
      sets: [
        { name: 'both', questions: 'q.jsonl', seeds: ['a', 'b'] },
        { name: 'only-a', questions: 'q.jsonl', seeds: ['a'] },
      ],
    }),
  );
  return { root, a, b, questions };
}

describe('evaluation runs', () => {
  it('joins several seeds folders into one corpus, in name order, for both systems', async () => {
    const { a, b } = repo();
    const corpus = await openEvalCorpus([a, b]);
    expect(corpus.ours.corpus.articles.map((x) => x.file)).toEqual(['01_jazz.txt', '02_piscine.txt']);
    expect(corpus.plain.data.files).toEqual(['01_jazz.txt', '02_piscine.txt']);
    // Blank-line blocks as they are: header and title, then two paragraphs, in each file.
    expect(corpus.plain.data.paragraphs).toHaveLength(6);
  });

  it('refuses the same file name in two folders rather than keep one of them silently', async () => {
    const { a, b } = repo();
    writeFileSync(path.join(b, '02_piscine.txt'), ARTICLE_B);
    await expect(openEvalCorpus([a, b])).rejects.toThrow(EvalUsageError);
    await expect(openEvalCorpus([a, b])).rejects.toThrow(/02_piscine\.txt/u);
  });

  it('runs every set of the manifest by default, or the ones named, in manifest order', async () => {
    const { root, a, b } = repo();
    expect((await selectSets({ root, files: [], seeds: [], sets: [] })).map((s) => s.name)).toEqual(['both', 'only-a']);
    const picked = await selectSets({ root, files: [], seeds: [], sets: ['only-a', 'both'] });
    expect(picked.map((s) => s.name)).toEqual(['both', 'only-a']);
    expect(picked[0]!.seeds).toEqual([a, b]);
    await expect(selectSets({ root, files: [], seeds: [], sets: ['nope'] })).rejects.toThrow(
      /«\u00a0nope\u00a0».*both, only-a/u,
    );
  });

  it('pairs question files with one seeds folder for all, or one each, and nothing else', async () => {
    const { root, a, b, questions } = repo();
    const one = await selectSets({ root, files: [questions, questions], seeds: [a], sets: [] });
    expect(one.map((s) => s.seeds)).toEqual([[a], [a]]);
    const each = await selectSets({ root, files: [questions, questions], seeds: [a, b], sets: [] });
    expect(each.map((s) => s.seeds)).toEqual([[a], [b]]);
    await expect(selectSets({ root, files: [questions, questions], seeds: [a, b, a], sets: [] })).rejects.toThrow(
      EvalUsageError,
    );
    await expect(selectSets({ root, files: [questions], seeds: [a], sets: ['both'] })).rejects.toThrow(EvalUsageError);
  });

  it('scores ours and plain MiniSearch on the same questions and the same corpus', async () => {
    const { root } = repo();
    const [both, onlyA] = await runEvaluation({ root, files: [], seeds: [], sets: [] });
    expect(both!.ours.total).toMatchObject({ questions: 3, answerable: 2, hit3: 2, noAnswer: 1, noAnswerRight: 1 });
    // Plain MiniSearch answers whenever a word is shared (« la », « de »): never a right no-answer here.
    expect(both!.plain.total).toMatchObject({ questions: 3, noAnswerRight: 0 });
    expect(both!.plain.total.hit3).toBeGreaterThanOrEqual(1);
    // Without folder b, the jazz question cannot be answered by either system.
    expect(onlyA!.ours.byKind['fact']!.hit3).toBe(1);
    expect(onlyA!.plain.byKind['fact']!.hit3).toBe(1);
    expect(both!.ours.byHalf.tuning.questions + both!.ours.byHalf.checking.questions).toBe(3);
  });
});
