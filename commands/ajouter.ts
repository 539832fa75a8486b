import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord.js';
import type { Corpus } from '../src/corpus/index.js';
import {
  body,
  MODERATOR_COMMAND,
  moderatorVerdict,
  renderAddReport,
  sendReply,
  type ChatCommand,
} from '../src/discord/index.js';
import type * as Ingest from '../src/ingest/index.js';
import { writeErrorReason } from '../src/lib/index.js';
import { reindexReport, reindexWithProgress } from './reindex.js';

const BUSY = '⏳ Une réindexation est déjà en cours : attendez son rapport, puis ajoutez l’article.';

/**
 * The page fetching and article extraction code, imported at the first /ajouter: its HTML parser and HTTP client
 * took a fifth of a second of every start, for a command moderators use now and then.
 */
const ingest = (): Promise<typeof Ingest> => import('../src/ingest/index.js');

/** Fingerprints of the articles served, once per index (a Set of a few bytes per article). */
const fingerprints = new WeakMap<Corpus, ReadonlySet<string>>();
function fingerprintsOf(corpus: Corpus, { corpusFingerprints }: typeof Ingest): ReadonlySet<string> {
  let set = fingerprints.get(corpus);
  if (!set) fingerprints.set(corpus, (set = corpusFingerprints(corpus)));
  return set;
}

/**
 * `/ajouter url:` or `/ajouter fichier:` (moderators, the /reindex rule): a web page's article or an attached
 * `.txt` seed becomes a new file of SEEDS_DIR, then the index is rebuilt as /reindex does. The reply is private
 * and says what was added, or why nothing was.
 */
export const ajouter: ChatCommand = {
  kind: 'chat',
  data: {
    name: 'ajouter',
    type: ApplicationCommandType.ChatInput,
    description: 'Ajouter un article (page web ou fichier .txt) puis réindexer (modérateurs)',
    description_localizations: { fr: 'Ajouter un article (page web ou fichier .txt) puis réindexer (modérateurs)' },
    ...MODERATOR_COMMAND,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'L’adresse de la page de l’article (http ou https)',
        description_localizations: { fr: 'L’adresse de la page de l’article (http ou https)' },
        max_length: 2000,
      },
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'fichier',
        description: 'Un article au format des fichiers du bot (.txt, UTF-8)',
        description_localizations: { fr: 'Un article au format des fichiers du bot (.txt, UTF-8)' },
      },
    ],
  },
  async execute(interaction, ctx) {
    const verdict = moderatorVerdict(interaction, ctx);
    const who = { user: interaction.user.id, guild: interaction.guildId };
    if (!verdict.allowed) {
      ctx.log.info({ ...who, allowed: false }, 'add refused');
      return sendReply(interaction, body(`⛔ ${verdict.reason}`), true);
    }
    const url = interaction.options.getString('url')?.trim() || null;
    const file = interaction.options.getAttachment('fichier');
    if ((url === null) === (file === null)) {
      const which = 'Donnez soit `url:` (l’adresse d’une page), soit `fichier:` (un .txt joint), mais pas les deux.';
      return sendReply(interaction, body(`❌ ${which}`), true);
    }
    if (ctx.holder.reindexing) return sendReply(interaction, body(BUSY), true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const edit = (content: string) => interaction.editReply({ content, allowedMentions: { parse: [] } });
    const lib = await ingest();
    const { prepareFromAttachment, prepareFromUrl, SeedWriteError, writeNewSeed } = lib;
    const options = {
      allowPrivate: ctx.add.allowPrivateFetch,
      existingFingerprints: fingerprintsOf(ctx.holder.current.corpus, lib),
    };
    const prepared = url
      ? await prepareFromUrl(url, options)
      : await prepareFromAttachment({ name: file!.name, url: file!.url, size: file!.size }, options);
    if (!prepared.ok) {
      ctx.log.info({ ...who, reason: prepared.reason }, 'add refused: not an article to add');
      return void (await edit(`❌ ${prepared.message}`));
    }
    let written: string;
    try {
      written = (await writeNewSeed(ctx.add.seedsDir, prepared.fileName, prepared.text)).file;
    } catch (err) {
      const why = err instanceof SeedWriteError ? err.message : writeErrorReason(err);
      ctx.log.warn({ ...who, err: why }, 'add failed: seed not written');
      return void (await edit(`❌ L’article n’a pas pu être enregistré dans le dossier des articles (${why}).`));
    }
    ctx.log.info({ ...who, file: written, from: url ? 'url' : 'attachment' }, 'seed added; reindexing');
    const rebuilt = await reindexWithProgress(interaction, ctx);
    const report = reindexReport(rebuilt, ctx, who);
    await edit(renderAddReport({ ...prepared, file: written }, report.content).content);
  },
};
