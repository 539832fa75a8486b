import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { MessageBody } from './render/index.js';

type Repliable = ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/** Every reply goes through here: no mention is ever parsed beyond the users the body allows. */
export async function sendReply(interaction: Repliable, message: MessageBody, ephemeral: boolean): Promise<void> {
  const flags = (ephemeral ? MessageFlags.Ephemeral : 0) | MessageFlags.SuppressEmbeds;
  const { content, components, allowedMentions } = message;
  await interaction.reply({ content, components, allowedMentions, flags });
}

/** A button edits the message it sits on (a page, another passage), with the same mention rules as a reply. */
export async function updateReply(interaction: ButtonInteraction, message: MessageBody): Promise<void> {
  const { content, components, allowedMentions } = message;
  await interaction.update({ content, components, allowedMentions });
}
