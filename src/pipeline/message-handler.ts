import type { HandleResult } from '../conversation/conversation-service.js';
import type { InboundMessage } from './inbound-message.js';

/**
 * A handler that receives each message before the citizen conversation, such as the officer
 * commands. The pipeline runs handlers in order; the first that returns a result handles the
 * message, and a message no handler takes goes to the conversation unchanged.
 */
export interface MessageHandler {
  /** Returns the result when this handler took the message, or undefined to pass it on. */
  handle(message: InboundMessage): Promise<HandleResult | undefined>;
}
