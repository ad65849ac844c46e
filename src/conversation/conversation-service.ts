import { createActor, type Snapshot } from 'xstate';
import type { Catalog } from '../catalog/load.js';
import type { Matcher } from '../catalog/matcher.js';
import type { Logger } from '../log/logger.js';
import { toUserKey, type InboundMessage } from '../pipeline/inbound-message.js';
import type { ConversationRecord, Store } from '../store/store.js';
import { toCommandWord } from '../text/normalize.js';
import { toConversationEvent, type ConversationEvent } from './events.js';
import { createConversationMachine, type ConversationMachine } from './machine.js';
import { renderMainMenu } from './render.js';
import type { Reply } from './reply.js';

type MachineSnapshotOf = ReturnType<ConversationMachine['resolveState']>;

/** What handling one message produced. */
export type HandleResult = { status: 'replied'; replies: Reply[] } | { status: 'duplicate' };

/** Times a turn is retried after another writer saved the same conversation first. */
const maxConflictRetries = 3;

/**
 * Runs one message through the citizen conversation: restores the user's persisted
 * snapshot, sends the event, and commits the new snapshot together with the processed
 * message id. Replies are returned only after the commit, so a crash before it leaves the
 * message unprocessed and a redelivery handles it again.
 *
 * Callers must serialise calls per user (the inbound pipeline does).
 */
export class ConversationService {
  private readonly machine: ConversationMachine;
  private readonly greetings: ReadonlySet<string>;

  constructor(
    private readonly deps: {
      catalog: Catalog;
      matcher: Matcher;
      store: Store;
      logger: Logger;
      /** Minutes without messages after which a conversation restarts at the main menu. */
      idleMinutes: number;
    },
  ) {
    this.machine = createConversationMachine(deps.catalog);
    this.greetings = new Set(deps.catalog.lexicon.greetings.map(toCommandWord));
  }

  async handle(message: InboundMessage): Promise<HandleResult> {
    const { store } = this.deps;
    if (await store.isProcessed(message.channel, message.messageId)) return { status: 'duplicate' };

    const event = toConversationEvent(message.text, message.receivedAt, {
      match: (text) => this.deps.matcher.match(text),
      greetings: this.greetings,
    });

    for (let attempt = 0; attempt <= maxConflictRetries; attempt++) {
      const userKey = toUserKey(message);
      const record = await store.findConversation(userKey);
      const { snapshot, replies } = this.runTurn(record, event, message.receivedAt);

      const result = await store.commitTurn({
        message: {
          channel: message.channel,
          messageId: message.messageId,
          userKey,
          processedAt: message.receivedAt,
        },
        userKey,
        snapshot,
        expectedVersion: record?.version,
        now: message.receivedAt,
      });
      if (result.status === 'committed') return { status: 'replied', replies };
      if (result.status === 'duplicate') return { status: 'duplicate' };
      this.deps.logger.warn({ userKey, attempt }, 'conversation version conflict, retrying turn');
    }
    throw new Error(
      `Conversation for ${toUserKey(message)} kept changing during ${maxConflictRetries + 1} attempts; message ${message.messageId} not processed`,
    );
  }

  /** Restores the actor, sends the event and returns the new persisted snapshot with the replies. */
  private runTurn(
    record: ConversationRecord | undefined,
    event: ConversationEvent,
    now: Date,
  ): { snapshot: unknown; replies: Reply[] } {
    const replies: Reply[] = [];
    const { catalog, idleMinutes } = this.deps;

    let restored: Snapshot<unknown> | undefined = record ? this.restoreSnapshot(record) : undefined;
    const idle = record !== undefined && now.getTime() - record.updatedAt.getTime() > idleMinutes * 60_000;
    if (idle || (record && !restored)) {
      const mainMenu = this.machine.resolveState({ value: { browsing: 'mainMenu' }, context: {} });
      restored = mainMenu;
      if (event.type === 'NUMBER' || event.type === 'BACK') {
        // A number typed after a long pause was meant for a menu the citizen no longer sees.
        replies.push(renderMainMenu(catalog, catalog.texts.sessionExpired));
        return { snapshot: this.machine.getPersistedSnapshot(mainMenu), replies };
      }
      replies.push({ text: catalog.texts.sessionExpired });
    }

    const actor = createActor(this.machine, restored ? { snapshot: restored as MachineSnapshotOf } : undefined);
    let failure: unknown;
    actor.subscribe({ error: (error) => (failure = error) });
    actor.on('reply', (emitted) => replies.push(emitted.reply));
    actor.start();
    actor.send(event);
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();
    if (failure !== undefined) throw failure;
    return { snapshot, replies };
  }

  /** Returns the stored snapshot when it still fits the machine, or undefined after logging why not. */
  private restoreSnapshot(record: ConversationRecord): Snapshot<unknown> | undefined {
    const candidate = record.snapshot as { status?: string; value?: unknown; context?: unknown };
    try {
      if (candidate?.status !== 'active') throw new Error(`snapshot status is ${String(candidate?.status)}`);
      // resolveState throws when the stored state value no longer exists in the machine.
      this.machine.resolveState(candidate as Parameters<ConversationMachine['resolveState']>[0]);
      return record.snapshot as Snapshot<unknown>;
    } catch (error) {
      this.deps.logger.warn(
        { userKey: record.userKey, err: error },
        'stored conversation does not fit the current machine; starting at the main menu',
      );
      return undefined;
    }
  }
}
