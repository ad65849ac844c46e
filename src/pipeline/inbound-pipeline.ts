import type { Catalog } from '../catalog/load.js';
import type { ConversationService } from '../conversation/conversation-service.js';
import type { Reply } from '../conversation/reply.js';
import type { Logger } from '../log/logger.js';
import { isStoreUnavailable } from '../store/errors.js';
import { translateError } from './error-translator.js';
import { toUserKey, type InboundMessage } from './inbound-message.js';
import { KeyedQueue } from './keyed-queue.js';
import type { MessageHandler } from './message-handler.js';
import { RetryQueue } from './retry-queue.js';

/** The pipeline's result for one inbound message. */
export interface PipelineResult {
  replies: Reply[];
  /** True when the message id was already processed and the message was ignored. */
  duplicate: boolean;
  /** True when the store was unreachable and the message waits in memory to be processed later. */
  held?: boolean;
}

/** Settings of the retry of held messages; the defaults suit a production outage. */
export interface RetryOptions {
  /** Maximum number of messages held in memory while the store is unreachable. Default 1,000. */
  capacity: number;
  /** First wait before retrying, in milliseconds. Default 1,000; doubles up to maxDelayMs. */
  initialDelayMs: number;
  /** Maximum wait between retries, in milliseconds. Default 30,000. */
  maxDelayMs: number;
}

const defaultRetry: RetryOptions = { capacity: 1000, initialDelayMs: 1000, maxDelayMs: 30_000 };

export interface InboundPipelineDeps {
  catalog: Catalog;
  logger: Logger;
  /** The conversation service; may be attached later, once the store is reachable. */
  conversations?: ConversationService;
  /** Handlers that receive each message before the conversation, such as the officer commands. */
  handlers?: MessageHandler[];
  /** Pings the store; called before retrying held messages. */
  pingStore: () => Promise<void>;
  /** Delivers replies of a held message once it was processed, through the outbox. */
  deliverLater: (message: InboundMessage, replies: Reply[]) => Promise<void>;
  retry?: Partial<RetryOptions>;
}

/**
 * The path of every inbound message: one message at a time per user, deduplication by
 * (channel, message id), the conversation turn, and error translation. Channels call
 * `receive` and send the replies back natively.
 *
 * While the store is unreachable (not yet connected, or lost), a message is not marked
 * processed. It is held in a bounded in-memory queue, the citizen gets a reply that it will
 * be processed, and it is processed once the store responds again. Its replies then go
 * through the outbox. A newer message of a user with held messages waits behind them.
 */
export class InboundPipeline {
  private readonly queue = new KeyedQueue();
  private readonly held: RetryQueue;
  private readonly retryOptions: RetryOptions;
  private conversations: ConversationService | undefined;
  private handlers: MessageHandler[];
  private accepting = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;

  constructor(private readonly deps: InboundPipelineDeps) {
    this.conversations = deps.conversations;
    this.handlers = deps.handlers ?? [];
    this.retryOptions = { ...defaultRetry, ...deps.retry };
    this.retryDelayMs = this.retryOptions.initialDelayMs;
    this.held = new RetryQueue(this.retryOptions.capacity);
  }

  /**
   * Connects the conversation service and the handlers before it once the store is
   * reachable, and retries held messages.
   */
  attach(conversations: ConversationService, handlers: MessageHandler[] = []): void {
    this.conversations = conversations;
    this.handlers = handlers;
    if (this.held.size > 0) this.scheduleRetry(0);
  }

  /** Number of messages held until the store responds again. */
  get heldCount(): number {
    return this.held.size;
  }

  async receive(message: InboundMessage): Promise<PipelineResult> {
    if (!this.accepting) throw new PipelineClosedError();
    return this.queue.run(toUserKey(message), async () => {
      const conversations = this.conversations;
      if (!conversations || this.held.hasUser(message.channel, message.userId)) return this.hold(message);
      return this.process(conversations, message);
    });
  }

  /** Retries the held messages now: when the store responds to a ping, processes them in arrival order. */
  async retryNow(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const conversations = this.conversations;
    if (!conversations || this.held.size === 0) return;

    try {
      await this.deps.pingStore();
    } catch (error) {
      this.deps.logger.warn({ err: error, held: this.held.size, retryInMs: this.retryDelayMs }, 'store still unavailable; will retry held messages');
      this.scheduleRetry(this.nextDelay());
      return;
    }

    const messages = this.held.takeAll();
    this.deps.logger.info({ count: messages.length }, 'store is back; processing held messages');
    this.retryDelayMs = this.retryOptions.initialDelayMs;
    await Promise.all(messages.map((message) => this.queue.run(toUserKey(message), () => this.processHeld(conversations, message))));
  }

  /** Stops taking new messages and waits for the ones in flight, at most `timeoutMs`. */
  async close(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    clearTimeout(this.retryTimer);
    if (this.held.size > 0) this.deps.logger.warn({ held: this.held.size }, 'shutting down with held messages; they are lost');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = this.queue.drain().then(() => true as const);
    const finished = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return finished;
  }

  private async process(conversations: ConversationService, message: InboundMessage): Promise<PipelineResult> {
    const ids = this.idsOf(message);
    try {
      const handled = await this.handleFirst(message);
      if (!handled && message.officersOnly) {
        this.deps.logger.debug(ids, 'message in an officers\' group is not an officer command; ignored');
        return { replies: [], duplicate: false };
      }
      const result = handled ?? (await conversations.handle(message));
      if (result.status === 'duplicate') {
        this.deps.logger.debug(ids, 'duplicate message ignored');
        return { replies: [], duplicate: true };
      }
      return { replies: result.replies, duplicate: false };
    } catch (error) {
      if (isStoreUnavailable(error)) {
        this.deps.logger.warn({ ...ids, err: error }, 'store unavailable while handling a message');
        return this.hold(message);
      }
      return { replies: [translateError(error, { ...this.deps, ids })], duplicate: false };
    }
  }

  private async handleFirst(message: InboundMessage) {
    for (const handler of this.handlers) {
      const result = await handler.handle(message);
      if (result) return result;
    }
    return undefined;
  }

  /** Processes a held message and queues its replies in the outbox, or keeps it held when the store is still down. */
  private async processHeld(conversations: ConversationService, message: InboundMessage): Promise<void> {
    // An older message of the same user failed again: keep this one behind it.
    if (this.held.hasUser(message.channel, message.userId)) {
      this.hold(message);
      return;
    }
    const result = await this.process(conversations, message);
    if (result.held || result.duplicate || result.replies.length === 0) return;
    try {
      await this.deps.deliverLater(message, result.replies);
    } catch (error) {
      this.deps.logger.error({ ...this.idsOf(message), err: error }, 'replies of a held message could not be queued; they are lost');
    }
  }

  private hold(message: InboundMessage): PipelineResult {
    const { texts } = this.deps.catalog;
    if (!this.held.add(message)) {
      this.deps.logger.error({ ...this.idsOf(message), capacity: this.held.capacity }, 'retry queue full; message not held');
      return { replies: [{ text: texts.busyRejected }], duplicate: false };
    }
    this.scheduleRetry(this.retryDelayMs);
    return { replies: [{ text: texts.busyHeld }], duplicate: false, held: true };
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer || !this.accepting) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryNow().catch((error: unknown) => this.deps.logger.error({ err: error }, 'retry of held messages failed'));
    }, delayMs);
    this.retryTimer.unref();
  }

  private nextDelay(): number {
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.retryOptions.maxDelayMs);
    return this.retryDelayMs;
  }

  private idsOf(message: InboundMessage) {
    return { userKey: toUserKey(message), channel: message.channel, messageId: message.messageId };
  }
}

/** Raised when a message arrives after shutdown began; the channel should ask for a redelivery later. */
export class PipelineClosedError extends Error {
  constructor() {
    super('The inbound pipeline is shutting down and accepts no new messages');
    this.name = 'PipelineClosedError';
  }
}
