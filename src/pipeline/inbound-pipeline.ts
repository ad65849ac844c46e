import type { Catalog } from '../catalog/load.js';
import type { ConversationService } from '../conversation/conversation-service.js';
import type { Reply } from '../conversation/reply.js';
import type { Logger } from '../log/logger.js';
import { translateError } from './error-translator.js';
import { toUserKey, type InboundMessage } from './inbound-message.js';
import { KeyedQueue } from './keyed-queue.js';

/** The pipeline's answer to one inbound message. */
export interface PipelineResult {
  replies: Reply[];
  /** True when the message id was already processed and the message was ignored. */
  duplicate: boolean;
}

/**
 * The path of every inbound message: one message at a time per user, deduplication by
 * (channel, message id), the conversation turn, and error translation. Channels call
 * `receive` and send the replies back natively.
 */
export class InboundPipeline {
  private readonly queue = new KeyedQueue();
  private accepting = true;

  constructor(
    private readonly deps: { conversations: ConversationService; catalog: Catalog; logger: Logger },
  ) {}

  async receive(message: InboundMessage): Promise<PipelineResult> {
    if (!this.accepting) throw new PipelineClosedError();
    const userKey = toUserKey(message);
    const ids = { userKey, channel: message.channel, messageId: message.messageId };

    return this.queue.run(userKey, async () => {
      const startedAt = performance.now();
      try {
        const result = await this.deps.conversations.handle(message);
        if (result.status === 'duplicate') {
          this.deps.logger.debug(ids, 'duplicate message ignored');
          return { replies: [], duplicate: true };
        }
        this.deps.logger.debug({ ...ids, ms: Math.round(performance.now() - startedAt) }, 'message handled');
        return { replies: result.replies, duplicate: false };
      } catch (error) {
        return { replies: [translateError(error, { ...this.deps, ids })], duplicate: false };
      }
    });
  }

  /** Stops taking new messages and waits for the ones in flight, at most `timeoutMs`. */
  async close(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = this.queue.drain().then(() => true as const);
    const finished = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return finished;
  }
}

/** Raised when a message arrives after shutdown began; the channel should ask for a redelivery later. */
export class PipelineClosedError extends Error {
  constructor() {
    super('The inbound pipeline is shutting down and accepts no new messages');
    this.name = 'PipelineClosedError';
  }
}
