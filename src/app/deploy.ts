import { REST } from 'discord.js';
import { readTopics } from '../corpus/index.js';
import { loadConfigOrExit } from '../config.js';
import { count } from '../wording/index.js';
import { registerCommands } from './register.js';

/**
 * `npm run deploy`: registers every command (one per topic of SEEDS_DIR's topics file, then the others) in one bulk
 * overwrite, on DISCORD_GUILD_ID when set (instant), otherwise globally (may take up to an hour to show).
 */
async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  try {
    const { topics } = await readTopics(config.seedsDir);
    const saved = await registerCommands(rest, config, topics);
    const where =
      saved.scope === 'guild' ? `sur le serveur ${config.guildId}` : 'globalement (jusqu’à une heure pour apparaître)';
    process.stdout.write(`${count(saved.count, 'commande enregistrée', { none: 'aucune' })} ${where}.\n`);
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
