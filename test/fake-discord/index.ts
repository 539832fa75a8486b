/** Fake Discord (REST + gateway) for end-to-end tests. See README.md. */
export { FakeDiscord, startFakeDiscord } from './server.js';
export { FakePermissions, DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID, DEFAULT_USER_ID } from './payloads.js';
export { guildIdForShard, shardForGuild, SnowflakeGenerator } from './snowflake.js';
export { compilePattern, matchRoute } from './http.js';
export type * from './types.js';
export { publicKeyHex, REPLAY_AFTER_S } from './delivery.js';
