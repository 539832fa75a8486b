import { describe, expect, it } from 'vitest';
import { shardReloadLine, type ShardReload } from '../../src/discord/index.js';

const NNBSP = '\u202f';
const answer = (shard: number, shards: number[], reloaded: boolean): ShardReload => ({
  shard,
  shards,
  reloaded,
  articles: 4,
  error: null,
});

describe('the shard line of a /reindex report', () => {
  it('names each process once, by its shards, and which one reindexed', () => {
    const results = [
      answer(0, [0, 1], false),
      answer(1, [0, 1], false),
      answer(2, [2, 3], true),
      answer(3, [2, 3], true),
    ];
    const line = shardReloadLine({
      self: 0,
      results,
      processes: [
        [0, 1],
        [2, 3],
      ],
    });
    expect(line).toBe(
      `Shards${NNBSP}: shards 0 à 1${NNBSP}: 4 articles (réindexé ici) · ` +
        `shards 2 à 3${NNBSP}: 4 articles (index rechargé)`,
    );
  });

  it('keeps one entry per shard when each process holds one, and says which did not answer', () => {
    const line = shardReloadLine({ self: 1, results: [answer(0, [0], true), null, answer(2, [2], false)] });
    expect(line).toBe(
      `Shards${NNBSP}: shard 0${NNBSP}: 4 articles (index rechargé) · shard 1${NNBSP}: pas de réponse · ` +
        `shard 2${NNBSP}: 4 articles`,
    );
  });
});
