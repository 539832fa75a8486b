import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import type { Answer, AnswerResult } from '../answer/index.js';
import {
  attributionParts, agree, count, emptyQuestionText, formatDateFr as formatDate, formatNumber, guillemets, hedgedText, NNBSP, noAnswerText, questionCutText,
} from '../wording/index.js';
import type { ReindexReport } from '../serving/index.js';
import type { ArticleSummary } from '../index/index.js';
import { markSpans } from '../wording/index.js';
import { cutAroundHighlights } from '../answer/index.js';
import { encodeButton } from './custom-ids.js';
import { breakMentions, escapeForDiscord, shorten } from './escape.js';

/** Discord's limits, enforced here by construction (and checked by the tests and the fake Discord). */
export const LIMITS = { content: 2000, embedDescription: 4096, field: 1024, embeds: 6000, choices: 25, choice: 100, customId: 100, buttonsPerRow: 5 };

/** A message body as the bot sends it: never any mention parsed, unless a user is explicitly allowed. */
export interface MessageBody {
  content: string;
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: []; users?: string[] };
  flags?: MessageFlags.SuppressEmbeds;
}

const TITLE_MAX = 120;
/** Publisher and other attribution details are cut too: a ` source` header can be any length. */
const DETAIL_MAX = 80;
const QUESTION_MAX = 150;
/** A quote longer than this once escaped is cut further (at word boundaries) so the message fits. */
const MAIN_QUOTE_MAX = 900;
const EXTRA_QUOTE_MAX = 420;
const QUESTION_LINE = /^\*\*Question\u202f:\*\* ``(.+?)``/u;

export function body(content: string, components: MessageBody['components'] = [], users: string[] = []): MessageBody {
  return {
    content,
    components,
    allowedMentions: users.length > 0 ? { parse: [], users } : { parse: [] },
    flags: MessageFlags.SuppressEmbeds,
  };
}

/** The quote as a Discord block quote: escaped, matched words in bold, « … » outside where it was cut. */
export function quoteBlock(r: AnswerResult, maxEscaped: number): string {
  let { quote, highlights, cutBefore, cutAfter } = r;
  for (let max = quote.length; max > 0; max = max > 40 ? Math.floor(max * 0.8) : 0) {
    const cut = cutAroundHighlights(r.quote, 0, r.quote.length, r.highlights, max);
    quote = r.quote.slice(cut.start, cut.end);
    highlights = r.highlights.filter((h) => h.start >= cut.start && h.end <= cut.end).map((h) => ({ start: h.start - cut.start, end: h.end - cut.start }));
    cutBefore = r.cutBefore || cut.cutBefore;
    cutAfter = r.cutAfter || cut.cutAfter;
    const marked = markSpans(quote, highlights, (s) => `**${escapeForDiscord(s)}**`, escapeForDiscord);
    const text = `${cutBefore ? '… ' : ''}${marked}${cutAfter ? ' …' : ''}`;
    if (text.length <= maxEscaped) return text.split(/\r?\n/u).map((line) => `> ${line}`).join('\n');
  }
  return '> …';
}

export function attributionLine(r: AnswerResult): string {
  const { title, details } = attributionParts(r);
  const who = r.kind === 'comment' ? 'Un lecteur, sous l’article ' : '';
  const shown = details.filter((d) => !d.startsWith('commentaire d’un lecteur')).map((d) => escapeForDiscord(shorten(d, DETAIL_MAX)));
  return `— ${who}${guillemets(`*${escapeForDiscord(shorten(title, TITLE_MAX))}*`)}, ${shown.join(', ')}`;
}

/** The question as typed, in a code span so it renders raw; read back by the buttons. */
export function questionLine(question: string, topic: string | null): string {
  // A code span shows the question raw; mention syntax is still broken so nothing in it can render as a mention.
  const q = breakMentions(shorten(question, QUESTION_MAX).replace(/`/g, 'ˋ'));
  return `**Question${NNBSP}:** \`\`${q}\`\` · ${topic ? `/${topic}` : 'tous les sujets'}`;
}

/** The question a rendered answer was for, from its first line (null when the message is not an answer). */
export function questionFromMessage(content: string): string | null {
  return QUESTION_LINE.exec(content)?.[1] ?? null;
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
    ? `Suggestion pour <@${view.suggestTo}>${NNBSP}:\n`
    : view.sharedBy
      ? `Réponse partagée par <@${view.sharedBy}>${NNBSP}:\n`
      : '';
  const users = view.suggestTo ? [view.suggestTo] : [];
  if (answer.emptyQuestion) {
    // Nothing was searched: no count of articles, no buttons; a blank question gets no empty code span.
    const asked = shorten(answer.question, QUESTION_MAX) ? questionLine(answer.question, answer.topic) : '';
    return body(fit([`${suggest}${asked}`.trimEnd(), emptyQuestionText(answer.topic)].filter(Boolean)), [], users);
  }
  const header = questionLine(answer.question, answer.topic) + (answer.questionCut ? `\n${questionCutText()}` : '');
  const footer = `-# ${count(answer.articlesSearched, 'article consulté')}`;
  if (!answer.answered) {
    const text = noAnswerText(answer, (t) => `/${t}`, (w) => escapeForDiscord(shorten(w, 60)));
    return body(fit([suggest + header, text, footer]), [], users);
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
  const buttons: APIButtonComponent[] = [
    button('Paragraphe complet', encodeButton({ kind: 'para', article: main.articleHash, comment: main.kind === 'comment', paragraph: main.paragraph })),
  ];
  if (view.rerunnable) {
    const next = view.index + 1;
    buttons.push({ ...button('Autre passage', encodeButton({ kind: 'next', userId: view.userId, topic: answer.topic, index: next })), disabled: next >= answer.results.length });
    if (view.ephemeral) {
      buttons.push(button('Publier dans le salon', encodeButton({ kind: 'pub', userId: view.userId, topic: answer.topic, index: view.index }), ButtonStyle.Primary));
    }
  }
  return [{ type: ComponentType.ActionRow, components: buttons }];
}

export function button(label: string, customId: string, style: ButtonStyle.Secondary | ButtonStyle.Primary = ButtonStyle.Secondary): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: customId };
}

/** Joins lines, cutting at a line when over the limit. */
function fitLines(lines: string[]): string {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > LIMITS.content - 2) return `${text}\n…`;
    text = next;
  }
  return text;
}

/** Joins message parts. Parts are budgeted to fit; the cut is a last safety net so content never exceeds 2000. */
function fit(parts: string[]): string {
  const text = parts.join('\n\n');
  return text.length <= LIMITS.content ? text : `${text.slice(0, LIMITS.content - 1)}…`;
}

/** A whole paragraph, for « Paragraphe complet » (ephemeral). Long paragraphs are cut at a word, saying so. */
export function renderParagraph(r: { title: string; source: string | null; date: string | null; paragraph: number; kind: AnswerResult['kind'] }, text: string): MessageBody {
  const attribution = attributionLine({ ...r, article: '', articleHash: '', quote: '', quoteStart: 0, quoteEnd: 0, cutBefore: false, cutAfter: false, highlights: [], score: 0, passage: 0 });
  const note = '\n-# (paragraphe tronqué)';
  // Cut the raw text first: escaping a very long line is slow (discord.js's escapeMarkdown), and only
  // what fits is shown anyway. Then shrink until the block quote, with its `> ` on every line, fits.
  for (let max = Math.min(text.length, LIMITS.content); max > 0; max = Math.floor(max * 0.85)) {
    const cut = max >= text.length ? { start: 0, end: text.length, cutAfter: false } : cutAroundHighlights(text, 0, text.length, [], max);
    const shown = `${escapeForDiscord(text.slice(cut.start, cut.end))}${cut.cutAfter ? ' …' : ''}`;
    const block = shown.split(/\r?\n/u).map((l) => `> ${l}`).join('\n');
    const content = `${block}\n${attribution}${cut.cutAfter ? note : ''}`;
    if (content.length <= LIMITS.content) return body(content);
  }
  return body(`> …\n${attribution}${note}`);
}

export const SOURCES_PER_PAGE = 8;

export function renderSources(articles: readonly ArticleSummary[], topic: string | null, page: number): MessageBody {
  const pages = Math.max(1, Math.ceil(articles.length / SOURCES_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const scope = topic ? `du sujet ${topic}` : 'indexés';
  const lines = [`**Articles ${scope}${NNBSP}: ${articles.length}**${pages > 1 ? ` — page ${p + 1}/${pages}` : ''}`];
  articles.slice(p * SOURCES_PER_PAGE, (p + 1) * SOURCES_PER_PAGE).forEach((a, i) => {
    const details = [a.source, formatDate(a.date), count(a.passages, 'passage'), a.topics.length ? `sujets${NNBSP}: ${a.topics.join(', ')}` : null].filter(Boolean);
    lines.push(`${p * SOURCES_PER_PAGE + i + 1}. ${guillemets(`*${escapeForDiscord(shorten(a.title, TITLE_MAX))}*`)} — ${details.map((d) => escapeForDiscord(String(d))).join(' · ')}`);
  });
  if (articles.length === 0) lines.push('Aucun article pour l’instant.');
  const components: MessageBody['components'] =
    pages > 1
      ? [{
          type: ComponentType.ActionRow,
          components: [
            { ...button('◀ Précédent', encodeButton({ kind: 'src', topic, page: p - 1 })), disabled: p === 0 },
            { ...button('Suivant ▶', encodeButton({ kind: 'src', topic, page: p + 1 })), disabled: p >= pages - 1 },
          ],
        }]
      : [];
  return body(fitLines(lines), components);
}

/** A file name in a code span, shown as is but unable to break the span or render as a mention. */
function codeName(file: string): string {
  return `\`${breakMentions(shorten(file, 80).replace(/`/g, 'ˋ'))}\``;
}

function fileList(files: readonly string[], max = 10): string {
  const shown = files.slice(0, max).map(codeName).join(', ');
  return files.length > max ? `${shown} et ${count(files.length - max, 'autre')}` : shown;
}

export function renderReindexReport(r: ReindexReport, shards: string | null = null): MessageBody {
  const s = (n: number, word: string): string => count(n, word, { none: null });
  const lines = [
    `✅ Réindexation terminée en ${formatNumber(r.durationMs / 1000, 1)}${NNBSP}s.`,
    `Articles${NNBSP}: ${r.before} → ${r.after} (${s(r.added.length, 'ajouté')}, ${s(r.changed.length, 'modifié')}, ${s(r.removed.length, 'supprimé')})`,
  ];
  if (r.added.length) lines.push(`${agree(r.added.length, 'Ajouté')}${NNBSP}: ${fileList(r.added)}`);
  if (r.changed.length) lines.push(`${agree(r.changed.length, 'Modifié')}${NNBSP}: ${fileList(r.changed)}`);
  if (r.removed.length) lines.push(`${agree(r.removed.length, 'Supprimé')}${NNBSP}: ${fileList(r.removed)}`);
  if (r.rejected.length) {
    lines.push(`${agree(r.rejected.length, 'Fichier refusé')} (${formatNumber(r.rejected.length)})${NNBSP}:`);
    for (const x of r.rejected.slice(0, 15)) lines.push(`- ${codeName(x.file)}${NNBSP}: ${escapeForDiscord(shorten(x.reason, 200))}`);
    if (r.rejected.length > 15) lines.push(`- … et ${count(r.rejected.length - 15, 'autre')}`);
  }
  if (r.saveError) lines.push(`⚠️ L’instantané n’a pas pu être enregistré (${escapeForDiscord(r.saveError)})${NNBSP}: l’index sert depuis la mémoire et sera réenregistré à la prochaine réindexation.`);
  if (shards) lines.push(shards);
  return body(fitLines(lines));
}
