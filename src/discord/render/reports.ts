import type { RebuildProgress, ReindexReport } from '../../serving/index.js';
import { agree, count, formatNumber, NNBSP } from '../../wording/index.js';
import type { ShardReloads } from '../shard-reload.js';
import { breakMentions, escapeForDiscord, shorten } from './escape.js';
import { body, fitLines, type MessageBody } from './message.js';

/** A file name in a code span, shown as is but unable to break the span or render as a mention. */
function codeName(file: string): string {
  return `\`${breakMentions(shorten(file, 80).replace(/`/g, 'ˋ'))}\``;
}

function fileList(files: readonly string[], max = 10): string {
  const shown = files.slice(0, max).map(codeName).join(', ');
  return files.length > max ? `${shown} et ${count(files.length - max, 'autre')}` : shown;
}

/**
 * The /reindex report: what changed, what was refused, (when sharded) `shards`, a line from shardReloadLine, and
 * `commands`, a line from commandsUpdateLine when the topics changed.
 */
export function renderReindexReport(
  r: ReindexReport,
  shards: string | null = null,
  commands: string | null = null,
): MessageBody {
  const s = (n: number, word: string): string => count(n, word, { none: null });
  const changes = [s(r.added.length, 'ajouté'), s(r.changed.length, 'modifié'), s(r.removed.length, 'supprimé')].join(
    ', ',
  );
  const lines = [
    `✅ Réindexation terminée en ${formatNumber(r.durationMs / 1000, 1)}${NNBSP}s.`,
    `Articles${NNBSP}: ${r.before} → ${r.after} (${changes})`,
  ];
  if (r.added.length) lines.push(`${agree(r.added.length, 'Ajouté')}${NNBSP}: ${fileList(r.added)}`);
  if (r.changed.length) lines.push(`${agree(r.changed.length, 'Modifié')}${NNBSP}: ${fileList(r.changed)}`);
  if (r.removed.length) lines.push(`${agree(r.removed.length, 'Supprimé')}${NNBSP}: ${fileList(r.removed)}`);
  if (r.rejected.length) {
    lines.push(`${agree(r.rejected.length, 'Fichier refusé')} (${formatNumber(r.rejected.length)})${NNBSP}:`);
    for (const x of r.rejected.slice(0, 15)) {
      lines.push(`- ${codeName(x.file)}${NNBSP}: ${escapeForDiscord(shorten(x.reason, 200))}`);
    }
    if (r.rejected.length > 15) lines.push(`- … et ${count(r.rejected.length - 15, 'autre')}`);
  }
  if (r.saveError) {
    lines.push(
      `⚠️ L’instantané n’a pas pu être enregistré (${escapeForDiscord(r.saveError)})${NNBSP}: l’index sert depuis la ` +
        'mémoire et sera réenregistré à la prochaine réindexation.',
    );
  }
  if (shards) lines.push(shards);
  // Before the file lists would cut it: the moderator must know whether the commands changed.
  if (commands) lines.splice(2, 0, commands);
  return body(fitLines(lines));
}

/**
 * The deferred reply of a long /reindex while it runs: « ⏳ Réindexation en cours : 1 234 fichiers lus sur 5 000,
 * 45 678 passages indexés… », then, once every file is read, the saving and loading of the new index.
 */
export function renderRebuildProgress(p: RebuildProgress): string {
  const head = `⏳ Réindexation en cours${NNBSP}:`;
  const passages = count(p.passagesIndexed, 'passage indexé', { none: null });
  if (p.phase === 'reading') {
    const files = p.filesTotal > 0 ? ` (${count(p.filesTotal, 'fichier')})` : '';
    return `${head} lecture du dossier des articles${files}…`;
  }
  const read = count(p.filesRead, 'fichier lu', { none: null });
  if (p.phase === 'saving')
    return `${head} ${read}, ${passages}${NNBSP}; enregistrement et chargement du nouvel index…`;
  return `${head} ${read} sur ${formatNumber(p.filesTotal)}, ${passages}…`;
}

/**
 * The report's line after a reindex with several processes: one entry per process (its shards share one index),
 * how many articles it serves now, or why not.
 */
export function shardReloadLine({ self, results, processes }: ShardReloads): string {
  if (!results) {
    return (
      `Shards${NNBSP}: les autres shards n’ont pas pu être joints ; ` +
      'ils garderont l’ancien index jusqu’à leur redémarrage.'
    );
  }
  const groups = processes ?? results.map((_, i) => [i]);
  const lines = groups.map((ids) => {
    const first = ids[0] ?? 0;
    const label = ids.length > 1 ? `shards ${first} à ${ids[ids.length - 1]}` : `shard ${first}`;
    const r = results[first];
    if (!r) return `${label}${NNBSP}: pas de réponse`;
    if (r.error) return `${label}${NNBSP}: index inchangé (${r.error})`;
    const note = ids.includes(self) ? ' (réindexé ici)' : r.reloaded ? ' (index rechargé)' : '';
    return `${label}${NNBSP}: ${count(r.articles, 'article')}${note}`;
  });
  return `Shards${NNBSP}: ${lines.join(' · ')}`;
}
