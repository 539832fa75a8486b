import type { TopicDefinition } from '../../corpus/index.js';
import { count, frenchSpacing, guillemets, NNBSP } from '../../wording/index.js';
import { breakMentions, escapeForDiscord, shorten } from './escape.js';
import { body, fitLines, LIMITS, type MessageBody } from './message.js';

/** A topic with the number of indexed articles it holds. */
export interface TopicCount {
  topic: TopicDefinition;
  articles: number;
}

/** Text shown inside a code span: raw, so not escaped, but unable to close the span. */
const code = (text: string): string => `\`${breakMentions(text.replace(/`/gu, 'ˋ'))}\``;

/** Example for a question command: the topic's own, or a generic one naming its label. */
function example(topic: TopicDefinition | null, first: TopicDefinition | undefined): string {
  const text = topic ? (topic.example ?? `Que disent les articles sur ${topic.label} ?`) : first?.example;
  return frenchSpacing(text ?? 'De quoi parlent les articles ?');
}

/**
 * One line per topic: its command, its label and how many articles it holds (topics file text escaped), and
 * optionally an example; labels are cut shorter when the lines would not fit in `budget` characters.
 */
function topicLines(topics: readonly TopicCount[], budget: number, withExamples: boolean): string[] {
  if (topics.length === 0) return [`Aucun sujet défini${NNBSP}: posez vos questions avec ${code('/recherche')}.`];
  const first = topics[0]?.topic;
  for (const max of [50, 30, 15]) {
    const lines = topics.map(({ topic, articles }) => {
      const label = escapeForDiscord(shorten(topic.label, max));
      const head = `• ${code(`/${topic.name}`)} — ${label} (${count(articles, 'article')})`;
      return withExamples
        ? `${head}${NNBSP}: ${code(`/${topic.name} question: ${shorten(example(topic, first), 80)}`)}`
        : head;
    });
    if (lines.join('\n').length <= budget || max === 15) return lines;
  }
  return [];
}

/** `/sujets`: the topics and their article counts. */
export function renderTopics(topics: readonly TopicCount[], totalArticles: number): MessageBody {
  const head = `**Sujets** (${count(totalArticles, 'article indexé')} en tout)`;
  const tail =
    topics.length > 0 ? [`${code('/recherche')} cherche dans tous les articles, quel que soit leur sujet.`] : [];
  const budget = LIMITS.content - head.length - tail.join('\n').length - 4;
  return body(fitLines([head, ...topicLines(topics, budget, false), ...tail]));
}

/** `/aide`: what the bot does, each command with one example, the topics and their article counts. */
export function renderHelp(topics: readonly TopicCount[], totalArticles: number): MessageBody {
  const first = topics[0]?.topic;
  const head = [
    `**Je réponds en citant mot pour mot les articles indexés**, avec la source (titre, média, date, paragraphe, ` +
      `lien)${NNBSP}; un commentaire de lecteur est présenté comme tel.`,
    '',
    `**Poser une question**`,
    `• ${code(`/recherche question: ${shorten(example(null, first), 80)}`)} — dans tous les articles`,
  ];
  const rest = [
    `Options${NNBSP}: ${code('cacher')} (réponse pour vous seul) et ${code('mention')} (la suggérer à un membre). ` +
      `Boutons${NNBSP}: ${guillemets('Paragraphe complet')}, ${guillemets('Autre passage')}, ` +
      `${guillemets('Lire l’article')}, ${guillemets('👍 Utile')} / ${guillemets('👎 Pas utile')}, ` +
      `${guillemets('Supprimer')}.`,
    '',
    `**Autres commandes**`,
    `• ${code(first ? `/sources sujet: ${first.label}` : '/sources')} — les articles, page par page`,
    `• ${code('/sujets')} — les sujets et leurs articles`,
    `• Clic droit sur un message → Applications → ${guillemets('Chercher la source')} — ce que les articles en disent`,
    `• ${code('/aide')} — ce message`,
    `**Modérateurs**${NNBSP}: ${code('/ajouter url: https://exemple.fr/article')} ou ${code('/ajouter fichier:')} ` +
      `(ajoute un article), ${code('/reindex')} (relit le dossier), ${code('/stats')} (questions, avis, sans réponse)`,
    '',
    `**Sujets** (${count(totalArticles, 'article indexé')} en tout)`,
  ];
  // The topics go last, each with its own example while they fit; past that, without (as /sujets shows them).
  const budget = LIMITS.content - [...head, ...rest].join('\n').length - 4;
  let lines = topicLines(topics, budget, true);
  if (lines.join('\n').length > budget) lines = topicLines(topics, budget, false);
  if (lines.join('\n').length > budget) {
    // Still too many: as many as fit, and where to see them all.
    const more = (n: number): string => `• … et ${count(n, 'autre sujet')}${NNBSP}: ${code('/sujets')} les montre tous`;
    let shown = lines.length;
    while (shown > 0 && [...lines.slice(0, shown), more(lines.length - shown)].join('\n').length > budget) shown--;
    lines = [...lines.slice(0, shown), more(lines.length - shown)];
  }
  return body(fitLines([...head, ...rest, ...lines]));
}
