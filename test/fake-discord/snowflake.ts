/** Snowflake ids: (ms since 2015-01-01) << 22 | worker/process bits | 12-bit counter. */

export const DISCORD_EPOCH = 1420070400000n;

export class SnowflakeGenerator {
  private lastTs = 0n;
  private increment = 0n;

  /** A new unique snowflake string (timestamp now, counter in the low bits). */
  next(): string {
    let ts = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ts < this.lastTs) ts = this.lastTs;
    if (ts === this.lastTs) {
      this.increment += 1n;
      if (this.increment > 4095n) {
        ts += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastTs = ts;
    return ((ts << 22n) | (1n << 17n) | this.increment).toString();
  }
}

/** The shard a guild belongs to: `(guild_id >> 22) % shard_count`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A deterministic guild id that routes to `shardId` out of `shardCount` (n distinguishes several). */
export function guildIdForShard(shardId: number, shardCount: number, n = 1): string {
  if (!Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
    throw new RangeError(`shardId ${shardId} out of range for ${shardCount} shards`);
  }
  // A timestamp in 2023, aligned to the shard count, plus the wanted residue.
  const base = 260_000_000_000n;
  const count = BigInt(shardCount);
  const ts = base - (base % count) + BigInt(shardId) + count * BigInt(n);
  return ((ts << 22n) | BigInt(n & 4095)).toString();
}
