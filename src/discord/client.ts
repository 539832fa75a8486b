import { Client, GatewayIntentBits } from 'discord.js';

/** The shards one client holds: discord.js's WebSocketManager runs them all in this one process. */
export interface ClientShards {
  shards: readonly number[];
  shardCount: number;
}

/**
 * The discord.js client: only the Guilds intent (slash commands need no other; MessageContent is not needed, a
 * message context menu carries the message), REST pointed at `apiUrl` (Discord, a proxy, or the fake Discord in
 * tests), and no mention parsed unless a message says otherwise. With `sharding`, the client connects those shards
 * of `shardCount` (the documented `shards` and `shardCount` options); without, discord.js's default (one shard
 * unless Discord asks for more).
 */
export function createClient(apiUrl: string, sharding: ClientShards | null = null): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: apiUrl },
    allowedMentions: { parse: [] },
    ...(sharding ? { shards: [...sharding.shards], shardCount: sharding.shardCount } : {}),
  });
}
