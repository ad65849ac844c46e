import { ComplaintError } from '../complaints/errors.js';
import type { HandleResult } from '../conversation/conversation-service.js';
import { scopedMessageId } from '../conversation/conversation-service.js';
import type { Reply } from '../conversation/reply.js';
import type { Logger } from '../log/logger.js';
import { toUserKey, type InboundMessage } from '../pipeline/inbound-message.js';
import type { MessageHandler } from '../pipeline/message-handler.js';
import { toCommandWord } from '../text/normalize.js';
import { answerCommand, assignCommand, classifyCommand, closeCommand, forwardCommand, noteCommand, rejectCommand } from './commands/change-commands.js';
import { CommandRejection, textOf, UsageError, type DeskDependencies, type OfficerCommand } from './commands/command.js';
import { fileCommand } from './commands/file-command.js';
import { createHelpCommand, templatesCommand, usageText } from './commands/help-commands.js';
import { listCommand, showCommand } from './commands/read-commands.js';
import type { Officer } from './roster.js';

/** Commands that need a classified complaint: their rejection on a `diterima` one asks the officer to classify it first. */
const commandsAfterClassification = new Set(['tugaskan', 'jawab']);

/**
 * Runs officer chat commands. A message is a command when its sender is an officer in the
 * roster and its first word names a command, with or without a leading slash and in any
 * case. Any other message passes to the citizen conversation. Each command checks the
 * officer's roles, and every failure the officer can fix gets an Indonesian reply.
 *
 * A command is recorded as processed after it ran, so a redelivered message is not run
 * twice. NOTE: a crash between a command's change and that record runs the command again
 * on redelivery; a repeated change is then rejected or changes nothing, except `catat`,
 * which adds its note twice. `catat-aduan` records the message with the filing, so it never
 * files twice.
 */
export class OfficerDesk implements MessageHandler {
  private readonly commands: readonly OfficerCommand[];
  private readonly byWord: ReadonlyMap<string, OfficerCommand>;

  constructor(private readonly deps: DeskDependencies & { logger: Logger }) {
    this.commands = [
      listCommand,
      showCommand,
      classifyCommand,
      assignCommand,
      answerCommand,
      closeCommand,
      rejectCommand,
      forwardCommand,
      noteCommand,
      fileCommand,
      templatesCommand,
      createHelpCommand(() => this.commands, (officer, command) => this.allows(officer, command)),
    ];
    this.byWord = new Map(this.commands.flatMap((command) => [command.name, ...(command.aliases ?? [])].map((word) => [word, command] as const)));
  }

  async handle(message: InboundMessage): Promise<HandleResult | undefined> {
    const officer = this.deps.roster.findByAddress(message.channel, message.userId);
    if (!officer || message.media?.length) return undefined;
    const parsed = this.parse(message.text);
    if (!parsed) return undefined;

    const { store, logger } = this.deps;
    const messageId = scopedMessageId(message);
    if (await store.isProcessed(message.channel, messageId)) return { status: 'duplicate' };

    const reply = await this.run(parsed.command, officer, message, parsed.args);
    await store.recordProcessed({ channel: message.channel, messageId, userKey: toUserKey(message), processedAt: message.receivedAt });
    if (!reply) return { status: 'duplicate' };
    logger.info({ officer: officer.id, command: parsed.command.name, channel: message.channel }, 'officer command handled');
    return { status: 'replied', replies: [reply] };
  }

  /**
   * Reads the command word and the arguments. `/daftar@SomeBot` (Telegram) reads as
   * `daftar`, and punctuation around a lone word (`daftar.`) is ignored.
   */
  private parse(text: string): { command: OfficerCommand; args: string } | undefined {
    const match = /^\s*\/?(\S+?)(?:@\S+)?(?:\s+([\s\S]*))?$/u.exec(text.normalize('NFKC'));
    if (!match) return undefined;
    const command = this.byWord.get(toCommandWord(match[1]!));
    return command ? { command, args: (match[2] ?? '').trim() } : undefined;
  }

  private allows(officer: Officer, command: OfficerCommand): boolean {
    return command.roles.length === 0 || command.roles.some((role) => this.deps.roster.hasRole(officer, role));
  }

  /** Runs a command and turns every failure the officer can act on into a reply. */
  private async run(command: OfficerCommand, officer: Officer, message: InboundMessage, args: string): Promise<Reply | undefined> {
    if (!this.allows(officer, command)) {
      const key = command.roles.includes('tim_pengelola') ? 'officerNotAllowedTeam' : 'officerNotAllowedManager';
      return { text: textOf(this.deps, key, { command: command.name }) };
    }
    try {
      return await command.run({ officer, message, args }, this.deps);
    } catch (error) {
      if (error instanceof UsageError) return { text: textOf(this.deps, 'officerUsageInvalid', { usage: usageText(this.deps, command.usage) }) };
      if (error instanceof CommandRejection) return { text: error.reply };
      if (error instanceof ComplaintError) return { text: await this.translate(error, command) };
      throw error;
    }
  }

  /** Turns a complaint domain error into the officer's reply, naming the ticket and its status. */
  private async translate(error: ComplaintError, command: OfficerCommand): Promise<string> {
    const ticket = error.ticket ?? '';
    switch (error.code) {
      case 'not-found':
        return textOf(this.deps, 'officerTicketNotFound', { ticket });
      case 'concurrent-change':
        return textOf(this.deps, 'officerConcurrentChange', { ticket });
      case 'unknown-class':
      case 'missing-note':
        return textOf(this.deps, 'officerUsageInvalid', { usage: usageText(this.deps, command.usage) });
      case 'transition-not-allowed': {
        const complaint = await this.deps.store.findComplaint(ticket);
        if (complaint?.status === 'diterima' && commandsAfterClassification.has(command.name)) {
          return textOf(this.deps, 'officerNeedsClassification', { ticket });
        }
        const status = complaint ? this.deps.catalog.complaints.statusLabels[complaint.status] : '';
        return textOf(this.deps, 'officerTransitionNotAllowed', { command: command.name, ticket, status });
      }
    }
  }
}
