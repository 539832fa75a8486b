import { Client, GatewayIntentBits } from 'discord.js';

/**
 * The discord.js client: only the Guilds intent (slash commands need no other; MessageContent is not needed, a
 * message context menu carries the message), REST pointed at `apiUrl` (Discord, a proxy, or the fake Discord in
 * tests), and no mention parsed unless a message says otherwise.
 */
export function createClient(apiUrl: string): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: apiUrl },
    allowedMentions: { parse: [] },
  });
}
