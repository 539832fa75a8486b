import { describe, expect, it } from 'vitest';
import { renderRebuildProgress } from '../../src/discord/render/index.js';

const N = '\u202f';

describe('renderRebuildProgress', () => {
  it('says files read of all and passages indexed, thousands grouped, with French spacing', () => {
    expect(
      renderRebuildProgress({ phase: 'indexing', filesRead: 1234, filesTotal: 5000, passagesIndexed: 45_678 }),
    ).toBe(`⏳ Réindexation en cours${N}: 1${N}234 fichiers lus sur 5${N}000, 45${N}678 passages indexés…`);
  });

  it('agrees with 0 and 1 (singular) and from 2 (plural)', () => {
    const line = (filesRead: number, passagesIndexed: number) =>
      renderRebuildProgress({ phase: 'indexing', filesRead, filesTotal: 300, passagesIndexed });
    expect(line(0, 0)).toBe(`⏳ Réindexation en cours${N}: 0 fichier lu sur 300, 0 passage indexé…`);
    expect(line(1, 1)).toBe(`⏳ Réindexation en cours${N}: 1 fichier lu sur 300, 1 passage indexé…`);
    expect(line(2, 2)).toBe(`⏳ Réindexation en cours${N}: 2 fichiers lus sur 300, 2 passages indexés…`);
  });

  it('words the reading of the folder and the saving of the new index', () => {
    expect(renderRebuildProgress({ phase: 'reading', filesRead: 0, filesTotal: 0, passagesIndexed: 0 })).toBe(
      `⏳ Réindexation en cours${N}: lecture du dossier des articles…`,
    );
    expect(renderRebuildProgress({ phase: 'reading', filesRead: 0, filesTotal: 12_345, passagesIndexed: 0 })).toBe(
      `⏳ Réindexation en cours${N}: lecture du dossier des articles (12${N}345 fichiers)…`,
    );
    expect(renderRebuildProgress({ phase: 'saving', filesRead: 5000, filesTotal: 5000, passagesIndexed: 1 })).toBe(
      `⏳ Réindexation en cours${N}: 5${N}000 fichiers lus, 1 passage indexé${N}; ` +
        'enregistrement et chargement du nouvel index…',
    );
  });

  it('stays one short line, far from Discord’s limit', () => {
    const big = 2 ** 31 - 1;
    const line = renderRebuildProgress({ phase: 'saving', filesRead: big, filesTotal: big, passagesIndexed: big });
    expect(line.length).toBeLessThan(200);
    expect(line).not.toContain('\n');
  });
});
