import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord.js';
import { cutAroundHighlights, type Answer, type AnswerResult } from '../../answer/index.js';
import { sliceWhole } from '../../lib/index.js';
import {
  attributionParts,
  count,
  emptyQuestionText,
  guillemets,
  hedgedText,
  markSpans,
  NNBSP,
  noAnswerText,
  questionCutText,
} from '../../wording/index.js';
import { encodeButton } from '../custom-ids.js';
import { breakMentions, escapeForDiscord, shorten, unbreakMentions } from './escape.js';
import { body, button, fit, LIMITS, linkButton, safeLink, TITLE_MAX, type MessageBody } from './message.js';

/** Publisher and other attribution details are cut too: a ` source` header can be any length. */
const DETAIL_MAX = 80;
const QUESTION_MAX = 150;
/** The question repeated whole for « Reformuler » (slash questions are 200 characters at most). */
const REPHRASE_MAX = 300;
/** A quote longer than this once escaped is cut further (at word boundaries) so the message fits. */
const MAIN_QUOTE_MAX = 900;
const EXTRA_QUOTE_MAX = 420;
const QUESTION_LINE = /^\*\*Question\u202f:\*\* ``(.+?)``/u;

/** The quote as a Discord block quote: escaped, matched words in bold, « … » outside where it was cut. */
export function quoteBlock(r: AnswerResult, maxEscaped: number): string {
  let { quote, highlights, cutBefore, cutAfter } = r;
  for (let max = quote.length; max > 0; max = max > 40 ? Math.floor(max * 0.8) : 0) {
    const cut = cutAroundHighlights(r.quote, 0, r.quote.length, r.highlights, max);
    quote = r.quote.slice(cut.start, cut.end);
    highlights = r.highlights
      .filter((h) => h.start >= cut.start && h.end <= cut.end)
      .map((h) => ({ start: h.start - cut.start, end: h.end - cut.start }));
    cutBefore = r.cutBefore || cut.cutBefore;
    cutAfter = r.cutAfter || cut.cutAfter;
    const marked = markSpans(quote, highlights, (s) => `**${escapeForDiscord(s)}**`, escapeForDiscord);
    const text = `${cutBefore ? '… ' : ''}${marked}${cutAfter ? ' …' : ''}`;
    if (text.length <= maxEscaped)
      return text
        .split(/\r?\n/u)
        .map((line) => `> ${line}`)
        .join('\n');
  }
  return '> …';
}

export function attributionLine(r: AnswerResult): string {
  const { title, details } = attributionParts(r);
  const who = r.kind === 'comment' ? 'Un lecteur, sous l’article ' : '';
  const shown = details
    .filter((d) => !d.startsWith('commentaire d’un lecteur'))
    .map((d) => escapeForDiscord(shorten(d, DETAIL_MAX)));
  return `— ${who}${guillemets(`*${escapeForDiscord(shorten(title, TITLE_MAX))}*`)}, ${shown.join(', ')}`;
}

/** The question as typed, in a code span so it renders raw; read back by the buttons. */
export function questionLine(question: string, topic: string | null): string {
  // A code span shows the question raw; mention syntax is still broken so nothing in it can render as a mention.
  const q = breakMentions(shorten(question, QUESTION_MAX).replace(/`/g, 'ˋ'));
  return `**Question${NNBSP}:** \`\`${q}\`\` · ${topic ? `/${escapeForDiscord(topic)}` : 'tous les sujets'}`;
}

/** The line above the question when an answer is suggested to a member, or shared by the one who asked. */
const suggestionLine = (userId: string): string => `Suggestion pour <@${userId}>${NNBSP}:`;
const sharedLine = (userId: string): string => `Réponse partagée par <@${userId}>${NNBSP}:`;
const NAMED_LINE = /^(Suggestion pour|Réponse partagée par) <@([1-9]\d{16,19})>\u202f:$/u;

/** What the answer buttons read back from a rendered answer: its question, and who its first line names. */
export interface AnswerLayout {
  question: string;
  suggestTo: string | null;
  sharedBy: string | null;
}

/**
 * The question a rendered answer was for, read where each layout puts it: the first line, or the second under a
 * « Suggestion pour » (`mention`) or « Réponse partagée par » (« Publier ») line. Null when it is not an answer.
 */
export function readAnswer(content: string): AnswerLayout | null {
  const [first = '', second = ''] = content.split('\n', 2);
  const named = NAMED_LINE.exec(first);
  const question = QUESTION_LINE.exec(named ? second : first)?.[1];
  if (question === undefined) return null;
  const who = named?.[2] ?? null;
  return {
    question: unbreakMentions(question),
    suggestTo: named?.[1] === 'Suggestion pour' ? who : null,
    sharedBy: named?.[1] === 'Réponse partagée par' ? who : null,
  };
}

export interface AnswerView {
  /** Which result is shown first (« Autre passage » moves it on). */
  index: number;
  userId: string;
  ephemeral: boolean;
  /** Buttons that re-run the question need it in the message: not for long texts (context menu). */
  rerunnable: boolean;
  /** A user the answer is suggested to (`mention` option): the only one who may be pinged. */
  suggestTo?: string | null;
  /** The answer is posted publicly on behalf of this user (named, not pinged). */
  sharedBy?: string | null;
}

/** An answer as a Discord message, within 2000 characters. */
export function renderAnswer(answer: Answer, view: AnswerView): MessageBody {
  const suggest = view.suggestTo
    ? `${suggestionLine(view.suggestTo)}\n`
    : view.sharedBy
      ? `${sharedLine(view.sharedBy)}\n`
      : '';
  const users = view.suggestTo ? [view.suggestTo] : [];
  if (answer.emptyQuestion) {
    // Nothing was searched: no count of articles, no buttons; a blank question gets no empty code span.
    const asked = shorten(answer.question, QUESTION_MAX) ? questionLine(answer.question, answer.topic) : '';
    return body(
      fit([`${suggest}${asked}`.trimEnd(), emptyQuestionText(answer.exampleQuestion)].filter(Boolean)),
      [],
      users,
    );
  }
  const header = questionLine(answer.question, answer.topic) + (answer.questionCut ? `\n${questionCutText()}` : '');
  const footer = `-# ${count(answer.articlesSearched, 'article consulté')}`;
  if (!answer.answered) {
    // Topics are shown escaped like article text, whatever put them in the answer.
    const text = noAnswerText(
      { ...answer, topic: answer.topic === null ? null : escapeForDiscord(answer.topic) },
      (t) => `/${escapeForDiscord(t)}`,
      (w) => escapeForDiscord(shorten(w, 60)),
    );
    // The question again, in a block that copies as typed: a no-answer does not start the cooldown, so it can be
    // asked again at once in other words.
    // Only for a question command: the context menu's « question » is a message, and it has a cooldown of its own.
    const again = view.rerunnable
      ? `**Reformuler${NNBSP}:** copiez la question ci-dessous, changez quelques mots (un synonyme, un nom, moins de ` +
        `détails) et posez-la de nouveau${NNBSP}; une question sans réponse ne déclenche pas le délai d’attente.\n` +
        `\`\`\`text\n${breakMentions(sliceWhole(answer.question, REPHRASE_MAX).trim().replace(/`/g, 'ˋ'))}\n\`\`\``
      : null;
    return body(fit([suggest + header, text, ...(again ? [again] : []), footer]), [], users);
  }
  const main = answer.results[view.index] ?? answer.results[0]!;
  const hedge = answer.hedged ? `${hedgedText(1)}\n` : '';
  const parts = [suggest + header, `${hedge}${quoteBlock(main, MAIN_QUOTE_MAX)}\n${attributionLine(main)}`];
  const extras = answer.results.filter((r, i) => i !== view.index && r.article !== main.article).slice(0, 2);
  const extraBlocks: string[] = [];
  for (const r of extras) {
    const block = `${quoteBlock(r, EXTRA_QUOTE_MAX)}\n${attributionLine(r)}`;
    const candidate = [...parts, `**Autres passages${NNBSP}:**`, ...extraBlocks, block, footer].join('\n\n');
    if (candidate.length <= LIMITS.content) extraBlocks.push(block);
  }
  if (extraBlocks.length > 0) parts.push(`**Autres passages${NNBSP}:**`, ...extraBlocks);
  parts.push(footer);
  return body(fit(parts), answerButtons(answer, main, view), users);
}

function answerButtons(answer: Answer, main: AnswerResult, view: AnswerView): MessageBody['components'] {
  const paragraphId = encodeButton({
    kind: 'para',
    article: main.articleHash,
    comment: main.kind === 'comment',
    paragraph: main.paragraph,
  });
  const buttons: APIButtonComponent[] = [button('Paragraphe complet', paragraphId)];
  if (view.rerunnable) {
    const next = view.index + 1;
    const nextId = encodeButton({ kind: 'next', userId: view.userId, topic: answer.topic, index: next });
    buttons.push({ ...button('Autre passage', nextId), disabled: next >= answer.results.length });
    if (view.ephemeral) {
      const publishId = encodeButton({ kind: 'pub', userId: view.userId, topic: answer.topic, index: view.index });
      buttons.push(button('Publier dans le salon', publishId, ButtonStyle.Primary));
    }
  }
  const link = safeLink(main.url);
  if (link) buttons.push(linkButton('Lire l’article', link));
  const feedback: APIButtonComponent[] = [
    button('👍 Utile', encodeButton({ kind: 'vote', up: true, article: main.articleHash })),
    button('👎 Pas utile', encodeButton({ kind: 'vote', up: false, article: main.articleHash })),
  ];
  // An ephemeral answer goes away by itself; a public one may be deleted by whoever asked (or a moderator).
  if (!view.ephemeral)
    feedback.push(button('Supprimer', encodeButton({ kind: 'del', userId: view.userId }), ButtonStyle.Danger));
  return [
    { type: ComponentType.ActionRow, components: buttons },
    { type: ComponentType.ActionRow, components: feedback },
  ];
}

/** Where a paragraph comes from, for « Paragraphe complet ». */
export interface ParagraphSource {
  title: string;
  source: string | null;
  date: string | null;
  url: string | null;
  paragraph: number;
  kind: AnswerResult['kind'];
}

/**
 * A whole paragraph, for « Paragraphe complet » (ephemeral), with « Lire l’article » when the article has a link.
 * Long paragraphs are cut at a word, saying so.
 */
export function renderParagraph(r: ParagraphSource, text: string): MessageBody {
  const link = safeLink(r.url);
  const components: MessageBody['components'] = link
    ? [{ type: ComponentType.ActionRow, components: [linkButton('Lire l’article', link)] }]
    : [];
  const attribution = attributionLine({
    ...r,
    article: '',
    articleHash: '',
    quote: '',
    quoteStart: 0,
    quoteEnd: 0,
    cutBefore: false,
    cutAfter: false,
    highlights: [],
    score: 0,
    passage: 0,
  });
  const note = '\n-# (paragraphe tronqué)';
  // Cut the raw text first: escaping a very long line is slow (discord.js's escapeMarkdown), and only
  // what fits is shown anyway. Then shrink until the block quote, with its `> ` on every line, fits.
  for (let max = Math.min(text.length, LIMITS.content); max > 0; max = Math.floor(max * 0.85)) {
    const cut =
      max >= text.length
        ? { start: 0, end: text.length, cutAfter: false }
        : cutAroundHighlights(text, 0, text.length, [], max);
    const shown = `${escapeForDiscord(text.slice(cut.start, cut.end))}${cut.cutAfter ? ' …' : ''}`;
    const block = shown
      .split(/\r?\n/u)
      .map((l) => `> ${l}`)
      .join('\n');
    const content = `${block}\n${attribution}${cut.cutAfter ? note : ''}`;
    if (content.length <= LIMITS.content) return body(content, components);
  }
  return body(`> …\n${attribution}${note}`, components);
}

/** Why a question (or, with `publish`, a « Publier ») is refused: the user did it again within their cooldown. */
export function renderCooldown(ms: number, what: 'question' | 'publish' = 'question'): MessageBody {
  const s = Math.max(1, Math.ceil(ms / 1000));
  const next = what === 'publish' ? 'publier à nouveau' : 'poser une nouvelle question';
  return body(`⏳ Doucement${NNBSP}! Vous pourrez ${next} dans ${s}${NNBSP}s.`);
}
