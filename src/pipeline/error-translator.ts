import { randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/load.js';
import { fillText } from '../catalog/texts-schema.js';
import type { Reply } from '../conversation/reply.js';
import type { Logger } from '../log/logger.js';

/** Returns a short reference code such as `ERR-7F3A2C`, which the citizen can quote to staff. */
export function newErrorReference(): string {
  return `ERR-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/**
 * Turns any failure while handling a message into a polite Indonesian reply with a
 * reference code, and logs the error with the same code and the ids involved. This is the
 * one place where handling errors stop, so one bad message never stops the bot.
 */
export function translateError(
  error: unknown,
  context: { catalog: Catalog; logger: Logger; ids: Record<string, string> },
): Reply {
  const reference = newErrorReference();
  context.logger.error({ err: error, reference, ...context.ids }, 'message handling failed');
  return { text: fillText(context.catalog.texts.internalError, { reference }) };
}
