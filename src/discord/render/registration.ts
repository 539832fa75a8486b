import { count, NNBSP } from '../../wording/index.js';
import type { CommandsUpdate } from '../context.js';

const names = (list: readonly string[]): string => list.map((n) => `\`/${n}\``).join(', ');

/** The report line saying the topics changed and what became of the commands. */
export function commandsUpdateLine(update: CommandsUpdate): string {
  const changes = [
    update.added.length > 0 ? `${update.added.length > 1 ? 'ajoutés' : 'ajouté'}${NNBSP}: ${names(update.added)}` : '',
    update.removed.length > 0
      ? `${update.removed.length > 1 ? 'retirés' : 'retiré'}${NNBSP}: ${names(update.removed)}`
      : '',
  ].filter(Boolean);
  const what = `Les sujets ont changé${changes.length > 0 ? ` (${changes.join(' ; ')})` : ''}`;
  if (update.status === 'failed')
    return (
      `⚠️ ${what}, mais les commandes n’ont pas pu être réenregistrées (${update.error})${NNBSP}: ` +
      `lancez \`npm run deploy\`.`
    );
  const where =
    update.scope === 'guild' ? 'sur ce serveur' : 'pour tous les serveurs (jusqu’à une heure pour apparaître)';
  return `🔁 ${what}${NNBSP}: ${count(update.count, 'commande réenregistrée')} ${where}.`;
}
