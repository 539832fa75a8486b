import { Client, Options } from 'discord.js';

/** Users seen in interactions, kept for discord.js's structures: the most recent ones are plenty. */
const USERS_KEPT = 1_000;

/**
 * A discord.js client that never logs in (no gateway connection): interactions arrive over HTTP, and its REST,
 * pointed at `apiUrl` and given the bot token through the documented `rest.setToken`, sends the answers (the
 * interaction callback and webhook routes need no token; registering commands again does). Mentions are parsed as
 * by the gateway bot's client (src/discord/client.ts): never, unless a message says otherwise. Without a gateway
 * nothing ever sweeps the user cache, which every interaction adds to: it is bounded here.
 */
export function createHttpClient(apiUrl: string, token: string): Client {
  const client = new Client({
    intents: [],
    rest: { api: apiUrl },
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, UserManager: USERS_KEPT }),
  });
  if (token) client.rest.setToken(token);
  return client;
}
