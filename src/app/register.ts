import { type REST, Routes } from 'discord.js';
import { commandsFor } from '../../commands/index.js';
import type { TopicDefinition } from '../corpus/index.js';
import type { BotConfig } from '../config.js';

/** Where commands are registered: one server (DISCORD_GUILD_ID, instant) or every server (up to an hour). */
export type CommandScope = 'guild' | 'global';

/**
 * Registers every command for these topics in one bulk overwrite (`PUT`), on DISCORD_GUILD_ID when set, otherwise
 * globally: what `npm run deploy` does, and what the bot does itself when a /reindex changes the topics.
 * Resolves with how many commands Discord saved.
 */
export async function registerCommands(
  rest: REST,
  config: Pick<BotConfig, 'clientId' | 'guildId'>,
  topics: readonly TopicDefinition[],
): Promise<{ scope: CommandScope; count: number }> {
  const body = commandsFor(topics).map((c) => c.data);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.clientId, config.guildId)
    : Routes.applicationCommands(config.clientId);
  const saved = (await rest.put(route, { body })) as unknown[];
  return { scope: config.guildId ? 'guild' : 'global', count: Array.isArray(saved) ? saved.length : 0 };
}
