import type { ButtonHandler } from './context.js';
import { moderatorVerdict } from './permissions.js';
import { body } from './render/index.js';
import { sendReply } from './safe-reply.js';

const THANKS = {
  counted: 'Merci, votre avis est compté.',
  changed: 'Votre avis a été changé : seul le dernier compte.',
  unchanged: 'Vous aviez déjà donné cet avis : il n’est compté qu’une fois.',
  failed: 'Votre avis n’a pas pu être enregistré. Réessayez plus tard.',
} as const;

/**
 * « 👍 Utile » / « 👎 Pas utile »: one vote per member per answer (the message), acknowledged privately. The
 * member is kept only as a salted hash, for the one-vote rule (src/stats).
 */
export const voteOnAnswer: ButtonHandler<'vote'> = async (interaction, ctx, { up, article }) => {
  const file = ctx.holder.current.corpus.articles.find((a) => a.hash.startsWith(article));
  const result =
    ctx.stats?.recordVote({
      answerId: interaction.message.id,
      memberId: interaction.user.id,
      vote: up ? 'up' : 'down',
      quoted: file ? { file: file.file, title: file.title } : null,
    }) ?? 'failed';
  await sendReply(interaction, body(`${up ? '👍' : '👎'} ${THANKS[result]}`), true);
};

/**
 * « Supprimer » on a public answer: the member who asked, or a moderator (same rule as /reindex, checked on what
 * Discord sent), deletes it; anyone else is told privately that they cannot.
 */
export const deleteAnswer: ButtonHandler<'del'> = async (interaction, ctx, { userId }) => {
  const asker = interaction.user.id === userId;
  if (!asker && !moderatorVerdict(interaction, ctx).allowed) {
    const who = 'Seule la personne qui a posé la question (ou un modérateur) peut supprimer cette réponse.';
    return sendReply(interaction, body(who), true);
  }
  // Acknowledged first, then deleted through the interaction's own webhook: no channel permission is needed.
  await interaction.deferUpdate();
  await interaction.deleteReply();
  ctx.log.info({ user: interaction.user.id, by: asker ? 'asker' : 'moderator' }, 'answer deleted');
};
