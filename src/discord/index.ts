/**
 * The Discord side of the bot, its one entry point for commands/ and src/app/: the client, the interaction router,
 * what a command is and gets (context, buttons by custom-id prefix), safe replies, the question and source
 * handlers, the /reindex permission check, the cooldown, shard reloads, and rendering.
 */
export { createClient } from './client.js';
export type {
  AddSettings,
  BotCommand,
  BotContext,
  ButtonHandler,
  ButtonHandlers,
  ChatCommand,
  CommandsUpdate,
  MessageCommand,
} from './context.js';
export type { ButtonAction, ButtonKind } from './custom-ids.js';
export { Cooldown } from './cooldown.js';
export { createRouter } from './router.js';
export { sendReply, updateReply } from './safe-reply.js';
export { answerQuestion, autocompleteQuestion, rerunAnswer } from './question.js';
export { showParagraph } from './paragraph.js';
export { deleteAnswer, voteOnAnswer } from './feedback.js';
export { sourceMessage } from './source-lookup.js';
export {
  canReindex,
  memberFacts,
  MODERATOR_COMMAND,
  moderatorVerdict,
  type MemberFacts,
  type PermissionVerdict,
} from './permissions.js';
export { trackRawMembers, type RawMember } from './raw-members.js';
export { relayShardReloads, serveShardReloads, type ShardReload, type ShardReloads } from './shard-reload.js';
export { body, renderReindexReport, renderSources, shardReloadLine, type MessageBody } from './render/index.js';
export { renderStats } from './render/index.js';
export { renderHelp, renderTopics, type TopicCount } from './render/index.js';
export { topicCounts } from './topic-counts.js';
export { reportProgress, type ProgressReport, type ProgressReportOptions } from './progress.js';
export { renderRebuildProgress } from './render/index.js';
export { commandsUpdateLine, renderAddReport, type AddedSeed } from './render/index.js';
