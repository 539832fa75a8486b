import { REST, Routes } from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import { loadConfigOrExit } from '../config.js';
import { count } from '../wording/index.js';

/**
 * `npm run deploy`: registers every command in one bulk overwrite, on DISCORD_GUILD_ID when set (instant),
 * otherwise globally (may take up to an hour to show).
 */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const body = COMMANDS.map((c) => c.data);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.clientId, config.guildId)
    : Routes.applicationCommands(config.clientId);
  try {
    const saved = (await rest.put(route, { body })) as unknown[];
    const where = config.guildId
      ? `sur le serveur ${config.guildId}`
      : 'globalement (jusqu’à une heure pour apparaître)';
    process.stdout.write(`${count(saved.length, 'commande enregistrée', { none: 'aucune' })} ${where}.\n`);
    return 0;
  } catch (err) {
    const message = (err as Error).message.split(config.token).join('[redacted]');
    process.stderr.write(`Échec de l’enregistrement des commandes : ${message}\n`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
