/**
 * Deterministic synthetic French corpus for the benchmark.
 *
 * The sentences of the real articles in `seeds/` are recombined into articles (a title line, ~8 paragraphs of 1–5
 * sentences, optional ` date` / ` source` headers, sometimes reader comments). So that the vocabulary grows with
 * the corpus the way a real one does (Heaps' law, V = K·n^β, with K = 44 and β = 0.49 as fitted on Reuters RCV1
 * news), some words of each sentence are replaced by, and a few clauses add, synthetic entries (French-looking
 * pseudo-words and their inflections, place / brand names, people's names, numbers): a new entry is created whenever
 * the corpus's distinct words lag behind K·n^β, otherwise an earlier one is reused in proportion to its use so far
 * (Simon's model, which gives Zipf-like frequencies).
 *
 * Same generator version, same source seeds and same size: same files, byte for byte. The corpus of N articles is
 * the first N articles of any larger one. Questions are drawn from the generated text (see `makeQuestions`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SEEDS_DIR } from '../src/config.js';
import { listSeeds, normalizeForFingerprint, readTopics } from '../src/corpus/index.js';
import { buildFromListing } from '../src/index/index.js';

/**
 * Bump whenever the generated text, the questions or the figures of `meta.json` change: cached corpora of another
 * version are regenerated. 4: questions carry their `answer`, and the meta its distinctness figures.
 */
const GENERATOR_VERSION = 4;

/** Heaps' law parameters (Manning, Raghavan & Schütze, Introduction to IR, §5.1.1: Reuters RCV1). */
const HEAPS_K = 44;
const HEAPS_BETA = 0.49;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a small, fast, seedable PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted(weights: readonly number[]): number {
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// French-looking material

const ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'ch',
  'br',
  'cr',
  'dr',
  'fr',
  'gr',
  'pl',
  'tr',
  'bl',
  'cl',
  'pr',
  'j',
  'qu',
  'gu',
  'v',
  'm',
  'l',
];
const VOWELS = [
  'a',
  'e',
  'i',
  'o',
  'u',
  'é',
  'è',
  'ou',
  'au',
  'ai',
  'eu',
  'an',
  'on',
  'in',
  'oi',
  'en',
  'a',
  'e',
  'i',
  'o',
];
const CODAS = ['', '', '', '', 'r', 'l', 's', 'n', 'rt', 'st'];
const NOUN_SUFFIXES = [
  'ment',
  'tion',
  'eur',
  'age',
  'elle',
  'ier',
  'ette',
  'isme',
  'ure',
  'ance',
  'oir',
  'erie',
  'ité',
  'ade',
];
const ADJ_SUFFIXES = ['ique', 'able', 'if', 'al', 'eux', 'ien', 'aire', 'el'];
const VERB_SUFFIXES = ['er', 'ir'];
const INFLECTIONS: Record<WordClass, string[]> = {
  noun: ['s'],
  adj: ['e', 's', 'es'],
  verb: ['é', 'ée', 'ait', 'ent', 'ant', 'ons', 'era', 'aient'],
};
const FIRST_NAMES = [
  'Camille',
  'Julien',
  'Sophie',
  'Nicolas',
  'Élodie',
  'Thomas',
  'Léa',
  'Mathieu',
  'Chloé',
  'Antoine',
  'Inès',
  'Hugo',
  'Manon',
  'Louis',
  'Sarah',
  'Baptiste',
  'Claire',
  'Maxime',
  'Émilie',
  'Yann',
  'Hélène',
  'Olivier',
  'Céline',
  'Rémi',
  'Aurélie',
  'François',
  'Margaux',
  'Jérôme',
  'Nathalie',
  'Benoît',
  'Agnès',
  'Stéphane',
  'Valérie',
  'Grégoire',
];
const PLACE_PREFIXES = ['Saint-', 'Val-de-', 'Mont-', 'Port-', 'Villeneuve-', 'Bourg-'];
const PUBLISHERS = [
  'Presse-citron',
  'Le Figaro',
  'Numerama',
  '01net',
  'Frandroid',
  'Les Numériques',
  'Le Monde',
  'Libération',
  'Les Échos',
  'Le Parisien',
  'Ouest-France',
  'La Tribune',
  'BFM Business',
  'Journal du Geek',
  'Clubic',
];
/** Words that cannot be replaced (function words the Snowball list would drop anyway, and a few frames). */
const KEEP = new Set([
  'alors',
  'après',
  'assez',
  'aucune',
  'aussi',
  'autant',
  'autres',
  'avaient',
  'avait',
  'avant',
  'avec',
  'beaucoup',
  'cause',
  'cette',
  'comme',
  'dans',
  'depuis',
  'derrière',
  'donc',
  'encore',
  'entre',
  'était',
  'être',
  'faire',
  'leurs',
  'lorsqu',
  'mais',
  'malgré',
  'même',
  'moins',
  'notre',
  'nous',
  'pendant',
  'peut',
  'plus',
  'plusieurs',
  'pour',
  'pourquoi',
  'pourtant',
  'puis',
  'puisqu',
  'quand',
  'seulement',
  'sont',
  'sous',
  'suite',
  'toujours',
  'toute',
  'toutefois',
  'tous',
  'très',
  'vous',
  'votre',
  'parce',
  'quelque',
  'certains',
  'celle',
  'celui',
]);
/** Off-topic French words for questions that have no answer (kept only when the corpus never uses them). */
const ABSENT_WORDS = [
  'fromage',
  'volcan',
  'randonnée',
  'girafe',
  'baguette',
  'cathédrale',
  'violoncelle',
  'marathon',
  'champignon',
  'tempête',
  'aquarelle',
  'escargot',
  'moissonneuse',
  'parapluie',
  'astronomie',
  'lavande',
  'boulangerie',
  'pétanque',
  'alpinisme',
  'banquise',
  'crustacé',
  'dentelle',
  'orchidée',
  'truffe',
  'vendange',
  'tapisserie',
];

type WordClass = 'noun' | 'adj' | 'verb';
type SlotKind = 'word' | 'name' | 'number';

const WORD_RE = /[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;

function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('fr') + s.slice(1);
}

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * Synthetic entries, created and reused so that the corpus's distinct words follow Heaps' law. Every entry is
 * also remembered each time it is used, so reuse picks an entry in proportion to its uses so far.
 */
class Lexicon {
  /** Distinct lowercased words of everything generated so far (and of the source sentences). */
  readonly types = new Set<string>();
  tokens = 0;
  readonly #history: Record<SlotKind, string[]> = { word: [], name: [], number: [] };
  readonly #lemmas: { stem: string; cls: WordClass }[] = [];
  readonly #surnames: string[] = [];

  constructor(private readonly rng: Rng) {}

  target(): number {
    return HEAPS_K * Math.max(1, this.tokens) ** HEAPS_BETA;
  }

  behind(): boolean {
    return this.types.size < this.target();
  }

  /** Counts the words of a generated text. */
  count(text: string): void {
    for (const m of text.matchAll(WORD_RE)) {
      this.tokens++;
      this.types.add(m[0].toLowerCase());
    }
  }

  entry(kind: SlotKind): string {
    const history = this.#history[kind];
    const fresh = history.length === 0 || this.behind();
    const value = fresh ? this.#create(kind) : this.rng.pick(history);
    history.push(value);
    return value;
  }

  /** A person's name, for inserted clauses: a common first name and a surname drawn like any entry. */
  person(): string {
    const fresh = this.#surnames.length === 0 || this.behind();
    const surname = fresh ? capitalize(this.#fresh(() => this.#pseudo(2, 3))) : this.rng.pick(this.#surnames);
    this.#surnames.push(surname);
    return `${this.rng.pick(FIRST_NAMES)} ${surname}`;
  }

  #create(kind: SlotKind): string {
    const { rng } = this;
    if (kind === 'number') {
      return this.#fresh(() => {
        const form = rng.weighted([4, 2, 1]);
        if (form === 0) return String(rng.int(10, 99_999));
        if (form === 1) return `${rng.int(1, 999)},${rng.int(1, 99)}`;
        return `${rng.int(1, 99)}.${rng.int(10, 999)}`;
      });
    }
    if (kind === 'name') {
      return this.#fresh(() => {
        const base = capitalize(this.#pseudo(2, 3));
        return rng.chance(0.15) ? `${rng.pick(PLACE_PREFIXES)}${base}` : base;
      });
    }
    // A common word: often an inflection of a lemma already used, as real French text is.
    if (this.#lemmas.length > 0 && rng.chance(0.35)) {
      const lemma = rng.pick(this.#lemmas);
      const word = lemma.stem + rng.pick(INFLECTIONS[lemma.cls]);
      if (!this.types.has(word)) return word;
    }
    const cls: WordClass = rng.pick(['noun', 'noun', 'adj', 'verb'] as const);
    const suffixes = cls === 'noun' ? NOUN_SUFFIXES : cls === 'adj' ? ADJ_SUFFIXES : VERB_SUFFIXES;
    const stem = this.#fresh(() => this.#pseudo(1, 2) + (cls === 'noun' && rng.chance(0.4) ? '' : rng.pick(suffixes)));
    this.#lemmas.push({ stem, cls });
    return stem;
  }

  #pseudo(min: number, max: number): string {
    const { rng } = this;
    let s = '';
    const n = rng.int(min, max);
    for (let i = 0; i < n; i++) {
      s += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === n - 1 || rng.chance(0.3) ? rng.pick(CODAS) : '');
    }
    return s;
  }

  /** Draws until the word is new to the corpus (and not a stop-word-like short form). */
  #fresh(make: () => string): string {
    for (;;) {
      const w = make();
      if (w.length >= 4 && !this.types.has(w.toLowerCase())) return w;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Source sentences

interface SourceMaterial {
  sentences: string[];
  /** Hash of the source articles' files: the cache is invalid when they change. */
  hash: string;
}

/** Sentences of the real articles, split by the project's own build (article text only, no tweets or links). */
async function sourceMaterial(dir = DEFAULT_SEEDS_DIR): Promise<SourceMaterial> {
  const { corpus } = await buildFromListing(await listSeeds(dir), (await readTopics(dir)).topics);
  const hash = createHash('sha256');
  for (const a of corpus.articles) hash.update(`${a.file}:${a.hash}\n`);
  const sentences: string[] = [];
  for (const p of corpus.passages) {
    if (p.kind !== 'article') continue;
    const text = corpus.articles[p.article]!.text;
    for (const s of p.sentences) {
      let sentence = text.slice(s.start, s.end).replace(/\s*”$/u, '').trim();
      if (/https?:|@|February|Passer au contenu/u.test(sentence) || sentence.length < 20) continue;
      if (!/[.!?…]$/u.test(sentence)) sentence += '.';
      sentences.push(sentence);
    }
  }
  if (sentences.length === 0) throw new Error(`no source sentence in ${dir}`);
  return { sentences, hash: hash.digest('hex') };
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

interface Slot {
  start: number;
  end: number;
  kind: SlotKind;
}

/** Words of a sentence that can be replaced, by kind: content words, names (capitalized inside), numbers. */
function slotsOf(sentence: string): Slot[] {
  const slots: Slot[] = [];
  for (const m of sentence.matchAll(WORD_RE)) {
    const w = m[0];
    const start = m.index;
    const before = sentence.slice(Math.max(0, start - 2), start);
    if (/['’#]$/u.test(before) || /^[-]/u.test(sentence.slice(start + w.length))) continue; // elided or compound
    const end = start + w.length;
    // A capitalized word inside a sentence is a name; at its start, an ordinary word.
    const inside = start > 0 && !/[.!?]\s*$/u.test(sentence.slice(0, start));
    if (/^\p{N}/u.test(w)) slots.push({ start, end, kind: 'number' });
    else if (/^\p{Lu}\p{Ll}/u.test(w) && inside) slots.push({ start, end, kind: 'name' });
    else if (/^\p{Ll}/u.test(w) && w.length >= 5 && !KEEP.has(w)) slots.push({ start, end, kind: 'word' });
  }
  return slots;
}

interface Generator {
  rng: Rng;
  lexicon: Lexicon;
  source: { text: string; slots: Slot[] }[];
}

/** One sentence: a source sentence with some words replaced and sometimes a clause added. */
function makeSentence(g: Generator): string {
  const { rng, lexicon } = g;
  const src = rng.pick(g.source);
  const behind = lexicon.behind();
  const pWord = behind ? 0.45 : 0.25;
  let out = '';
  let at = 0;
  for (const slot of src.slots) {
    const p = slot.kind === 'word' ? pWord : slot.kind === 'name' ? 0.5 : 0.8;
    if (!rng.chance(p)) continue;
    out += src.text.slice(at, slot.start) + lexicon.entry(slot.kind);
    at = slot.end;
  }
  out += src.text.slice(at);
  if (rng.chance(0.2)) {
    const m = /\s*[.!?…]+$/u.exec(out);
    const cut = m ? m.index : out.length;
    const clause = rng.pick([
      () => `, selon ${lexicon.person()}`,
      () => `, à ${lexicon.entry('name')}`,
      () => ` en ${rng.pick(['janvier', 'mars', 'mai', 'juin', 'septembre', 'novembre'])} ${rng.int(2008, 2025)}`,
      () => `, avec ${lexicon.entry('number')} ${lexicon.entry('word')}`,
      () => `, d’après ${lexicon.entry('name')}`,
    ])();
    out = out.slice(0, cut) + clause + out.slice(cut);
  }
  return out;
}

function makeTitle(g: Generator): string {
  const { rng, lexicon } = g;
  const words = makeSentence(g)
    .replace(/[.!?…]+$/u, '')
    .split(/\s+/u);
  const n = Math.min(words.length, rng.int(5, 11));
  let title = capitalize(
    words
      .slice(0, n)
      .join(' ')
      .replace(/[,;:«»“”(]+$/u, '')
      .trim(),
  );
  if (rng.chance(0.3)) title += ` : ${lexicon.entry('name')} ${lexicon.entry('word')}`;
  return title;
}

interface ArticleFile {
  file: string;
  text: string;
  /** Sentences of its paragraphs (for questions). */
  sentences: string[];
  paragraphs: number;
  /** The article's own paragraphs (no header, title or comment): what tells two articles apart. */
  body: string[];
  /** Its comments' paragraphs. */
  comments: string[];
}

/** Makes the articles of the corpus one by one, deterministically: the first N are the same for every larger corpus. */
class CorpusGenerator {
  readonly #rng = new Rng(mulberry32(0x5eed_2024));
  readonly lexicon = new Lexicon(this.#rng);
  readonly #g: Generator;
  #count = 0;

  constructor(source: SourceMaterial) {
    for (const s of source.sentences) this.lexicon.count(s);
    const sentences = source.sentences.map((text) => ({ text, slots: slotsOf(text) }));
    this.#g = { rng: this.#rng, lexicon: this.lexicon, source: sentences };
  }

  next(): ArticleFile {
    const rng = this.#rng;
    const { lexicon } = this;
    const g = this.#g;
    const lines: string[] = [];
    if (rng.chance(0.7)) {
      const y = rng.int(2015, 2025);
      const m = String(rng.int(1, 12)).padStart(2, '0');
      lines.push(rng.chance(0.5) ? ` date ${y}-${m}` : ` date ${y}-${m}-${String(rng.int(1, 28)).padStart(2, '0')}`);
    }
    if (rng.chance(0.5)) lines.push(` source ${rng.chance(0.8) ? rng.pick(PUBLISHERS) : lexicon.entry('name')}`);
    if (lines.length > 0) lines.push('');
    const title = makeTitle(g);
    lexicon.count(title);
    lines.push(title, '');
    const sentences: string[] = [];
    const paragraph = (): string => {
      const k = 1 + rng.weighted([0.2, 0.3, 0.25, 0.15, 0.1]);
      const ss: string[] = [];
      for (let i = 0; i < k; i++) {
        const s = makeSentence(g);
        lexicon.count(s);
        ss.push(s);
      }
      sentences.push(...ss);
      return ss.join(' ');
    };
    let paragraphs = rng.int(3, 13);
    const body: string[] = [];
    const comments: string[] = [];
    for (let p = 0; p < paragraphs; p++) body.push(paragraph());
    lines.push(...body.flatMap((p) => [p, '']));
    if (rng.chance(0.1)) {
      const n = rng.int(1, 2);
      paragraphs += n;
      lines.push(`${n} commentaire${n > 1 ? 's' : ''}`, '');
      for (let c = 0; c < n; c++) comments.push(paragraph());
      lines.push(...comments.flatMap((p) => [p, '']));
    }
    const text = lines.join('\n');
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
    const file = `a${String(this.#count++).padStart(6, '0')}_${hash}.txt`;
    return { file, text, sentences, paragraphs, body, comments };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Questions

interface SampledSentence {
  file: string;
  text: string;
}

export interface BenchQuestion {
  q: string;
  topic: null;
  /** How the question was made (for reading results; not sent to the bot). */
  kind: 'phrase' | 'broad' | 'typo' | 'no-accent' | 'no-answer' | 'long';
  /** File the phrase came from, when it came from one. */
  from?: string;
  /**
   * The phrase the question was made from, as the corpus writes it (before a typo or the accents were taken out):
   * an answer whose quote holds it (compared folded, as `npm run eval` does) answers the question, whichever file
   * it comes from. Only on the questions that have a `from`.
   */
  answer?: string;
}

const TEMPLATES = [
  'Pourquoi {x} ?',
  'Quand {x} ?',
  'Comment {x} ?',
  'Qui {x} ?',
  'Combien {x} ?',
  'Est-ce que {x} ?',
  'Que sait-on de {x} ?',
  '{X} ?',
  'Où {x} ?',
  'Quel est le rôle de {x} ?',
  'Que dit l’article sur {x} ?',
];

function windowOf(rng: Rng, text: string, min: number, max: number): string {
  const words = text
    .replace(/[.!?…]+$/u, '')
    .split(/\s+/u)
    .filter((w) => w !== '');
  const len = Math.min(words.length, rng.int(min, max));
  const start = rng.int(0, words.length - len);
  return words
    .slice(start, start + len)
    .join(' ')
    .replace(/^[,;:«»“”()—-]+\s*|\s*[,;:«»“”()—-]+$/gu, '')
    .trim();
}

function askAbout(rng: Rng, phrase: string): string {
  const template = rng.pick(TEMPLATES);
  const lowerFirst = /^\p{Lu}\p{Ll}/u.test(phrase) && template !== '{X} ?';
  const lower = lowerFirst ? phrase.charAt(0).toLocaleLowerCase('fr') + phrase.slice(1) : phrase;
  return template.replace('{x}', lower).replace('{X}', capitalize(phrase));
}

function typo(rng: Rng, q: string): string {
  const words = [...q.matchAll(/\p{L}{6,}/gu)];
  if (words.length === 0) return q;
  const m = rng.pick(words);
  const w = m[0];
  const i = rng.int(1, w.length - 3);
  const kind = rng.int(0, 2);
  const changed =
    kind === 0
      ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) // swap two letters
      : kind === 1
        ? w.slice(0, i) + w.slice(i + 1) // drop one
        : w.slice(0, i) + w[i] + w.slice(i); // double one
  return q.slice(0, m.index) + changed + q.slice(m.index + w.length);
}

/**
 * A fixed, deterministic set of questions drawn from the generated corpus; `absent` are the off-topic words the
 * corpus never uses.
 */
function makeQuestions(
  count: number,
  sample: readonly SampledSentence[],
  source: readonly string[],
  absent: readonly string[],
): BenchQuestion[] {
  const rng = new Rng(mulberry32(0x9e57 + count));
  const out: BenchQuestion[] = [];
  const push = (q: string, kind: BenchQuestion['kind'], answer?: string, from?: string): void => {
    out.push(from === undefined ? { q, topic: null, kind } : { q, topic: null, kind, from, answer });
  };
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted([40, 10, 15, 15, 10, 10]);
    const s = rng.pick(sample);
    const phrase = (min: number, max: number): string => windowOf(rng, s.text, min, max);
    let p: string;
    if (kind === 0) push(askAbout(rng, (p = phrase(3, 7))), 'phrase', p, s.file);
    else if (kind === 1) push(askAbout(rng, windowOf(rng, rng.pick(source), 2, 4)), 'broad');
    else if (kind === 2) push(askAbout(rng, typo(rng, (p = phrase(3, 7)))), 'typo', p, s.file);
    else if (kind === 3) push(stripAccents(askAbout(rng, (p = phrase(3, 7)))), 'no-accent', p, s.file);
    else if (kind === 4) {
      const a = rng.pick(absent);
      let b = rng.pick(absent);
      if (b === a) b = absent[(absent.indexOf(a) + 1) % absent.length]!;
      const frames = [
        `Que sait-on du ${a} et de la ${b} ?`,
        `Où trouver une ${a} de ${b} ?`,
        `Combien de ${a} pour une ${b} ?`,
      ];
      push(rng.pick(frames), 'no-answer');
    } else push(askAbout(rng, (p = phrase(12, 25))), 'long', p, s.file);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// On disk, cached

export interface CorpusMeta {
  version: number;
  articles: number;
  sourceHash: string;
  files: number;
  paragraphs: number;
  bytes: number;
  tokens: number;
  types: number;
  /**
   * Articles with distinct bodies (their paragraphs, case and spacing ignored, title and headers left out: stricter
   * than the build's duplicate rule, which counts the title), always `articles` (the generator throws otherwise),
   * and distinct paragraphs, comments included (a recombined corpus repeats a few short ones).
   */
  distinctArticles: number;
  distinctParagraphs: number;
  /** (tokens, distinct words) every tenth of the corpus, and the Heaps fit of those points. */
  growth: [number, number][];
  heapsFit: { K: number; beta: number } | null;
  generatedMs: number;
}

export interface BenchCorpus {
  seedsDir: string;
  questionsFile: string;
  meta: CorpusMeta;
  questions: BenchQuestion[];
  /** Whether a cached copy was used rather than generated now. */
  cached: boolean;
}

function fitHeaps(points: readonly [number, number][]): { K: number; beta: number } | null {
  const pts = points.filter(([n, v]) => n > 0 && v > 0).map(([n, v]) => [Math.log(n), Math.log(v)] as const);
  if (pts.length < 2) return null;
  const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  const sxy = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  const sxx = pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
  const beta = sxy / sxx;
  return { K: Math.round(Math.exp(my - beta * mx) * 10) / 10, beta: Math.round(beta * 1000) / 1000 };
}

/** Writes the corpus's seed files; returns its figures, and what questions are drawn from. */
function generate(
  seedsDir: string,
  articles: number,
  source: SourceMaterial,
): { meta: CorpusMeta; sample: SampledSentence[]; absent: string[] } {
  const t0 = performance.now();
  const sampleRng = new Rng(mulberry32(0x5a3d1e + articles));
  const sample: SampledSentence[] = [];
  const SAMPLE_SIZE = 4000;
  let seen = 0;
  let paragraphs = 0;
  let bytes = 0;
  const growth: [number, number][] = [];
  const step = Math.max(1, Math.floor(articles / 10));
  const generator = new CorpusGenerator(source);
  const { lexicon } = generator;
  // Keys of 96 bits (base64 of a SHA-1 prefix): no collision expected among millions of paragraphs.
  const key = (text: string): string =>
    createHash('sha1').update(normalizeForFingerprint(text)).digest('base64').slice(0, 16);
  const bodies = new Map<string, string>();
  const paragraphKeys = new Set<string>();
  for (let i = 1; i <= articles; i++) {
    const a = generator.next();
    const body = key(a.body.join('\n'));
    const twin = bodies.get(body);
    if (twin !== undefined) throw new Error(`generator bug: ${a.file} repeats the article text of ${twin}`);
    bodies.set(body, a.file);
    for (const p of [...a.body, ...a.comments]) paragraphKeys.add(key(p));
    writeFileSync(path.join(seedsDir, a.file), a.text);
    bytes += Buffer.byteLength(a.text);
    paragraphs += a.paragraphs;
    // Reservoir sampling: every sentence of the corpus equally likely to be asked about.
    for (const text of a.sentences) {
      seen++;
      const j = sample.length < SAMPLE_SIZE ? sample.length : Math.floor(sampleRng.next() * seen);
      if (j < SAMPLE_SIZE) sample[j] = { file: a.file, text };
    }
    if (i % step === 0) growth.push([lexicon.tokens, lexicon.types.size]);
  }
  const absent = ABSENT_WORDS.filter((w) => !lexicon.types.has(w) && !lexicon.types.has(stripAccents(w)));
  const meta: CorpusMeta = {
    version: GENERATOR_VERSION,
    articles,
    sourceHash: source.hash,
    files: articles,
    paragraphs,
    bytes,
    tokens: lexicon.tokens,
    types: lexicon.types.size,
    distinctArticles: bodies.size,
    distinctParagraphs: paragraphKeys.size,
    growth,
    heapsFit: fitHeaps(growth),
    generatedMs: Math.round(performance.now() - t0),
  };
  return { meta, sample, absent };
}

/**
 * The corpus of `articles` articles under `root/corpus-N/` (seed files in `seeds/`, questions in
 * `questions-Q.jsonl`), generated unless a copy of the same generator version and source is there already.
 */
export async function ensureCorpus(root: string, articles: number, questionCount: number): Promise<BenchCorpus> {
  const dir = path.join(root, `corpus-${articles}`);
  const seedsDir = path.join(dir, 'seeds');
  const metaFile = path.join(dir, 'meta.json');
  const sampleFile = path.join(dir, 'sample.json');
  const questionsFile = path.join(dir, `questions-${questionCount}.jsonl`);
  const source = await sourceMaterial();
  const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
  const old = existsSync(metaFile) && existsSync(sampleFile) ? readJson<CorpusMeta>(metaFile) : null;
  const cached =
    old !== null &&
    old.version === GENERATOR_VERSION &&
    old.articles === articles &&
    old.sourceHash === source.hash &&
    existsSync(seedsDir) &&
    readdirSync(seedsDir).length === old.files;
  let meta: CorpusMeta;
  if (cached) meta = old;
  else {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(seedsDir, { recursive: true });
    const made = generate(seedsDir, articles, source);
    meta = made.meta;
    writeFileSync(sampleFile, JSON.stringify({ sample: made.sample, absent: made.absent }));
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  }
  let questions: BenchQuestion[];
  if (existsSync(questionsFile)) {
    const lines = readFileSync(questionsFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    questions = lines.map((l) => JSON.parse(l) as BenchQuestion);
  } else {
    const { sample, absent } = readJson<{ sample: SampledSentence[]; absent: string[] }>(sampleFile);
    questions = makeQuestions(questionCount, sample, source.sentences, absent);
    writeFileSync(questionsFile, `${questions.map((q) => JSON.stringify(q)).join('\n')}\n`);
  }
  return { seedsDir, questionsFile, meta, questions, cached };
}
