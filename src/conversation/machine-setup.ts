import { setup } from 'xstate';
import type { Catalog } from '../catalog/load.js';
import type { Intent } from '../catalog/matcher.js';
import { fillText } from '../catalog/texts-schema.js';
import type { ComplaintSettings } from '../complaints/complaint-settings.js';
import type { ComplaintDraft, CompleteDraft } from './complaint-draft.js';
import type { ConversationEvent } from './events.js';
import type { Reply } from './reply.js';

/** Conversation state kept between messages. */
export interface ConversationContext {
  /** Number of the service whose detail menu is open. */
  service?: number;
  /** Services offered after an ambiguous free-text message, in service order. */
  candidates?: number[];
  /** The complaint being written; kept when the citizen leaves the dialogue. */
  draft?: ComplaintDraft;
  /** Tickets listed by the status menu, in the order shown. */
  ownTickets?: string[];
  /** Ticket whose PIN the citizen is asked for. */
  pendingTicket?: string;
}

/** Work the machine requests from the conversation service, because the machine itself does no I/O. */
export type ConversationCommand =
  /** File the draft; the service commits it with the turn and sends the ticket. */
  | { kind: 'fileComplaint'; draft: CompleteDraft }
  /** Respond with OWN_COMPLAINTS. */
  | { kind: 'listOwnComplaints' }
  /** Respond with STATUS_FOUND for the citizen's own complaint, PIN_REQUIRED otherwise. */
  | { kind: 'lookupTicket'; ticket: string }
  /** Respond with STATUS_FOUND, PIN_WRONG or PIN_LOCKED. */
  | { kind: 'checkPin'; ticket: string; pin: string }
  /** Delete stored evidence files of a discarded draft, after the turn is committed. */
  | { kind: 'discardMedia'; mediaIds: string[] };

/** The event the machine emits for every reply. */
export interface ReplyEmitted {
  type: 'reply';
  reply: Reply;
}

/** The event the machine emits for every command. */
export interface CommandEmitted {
  type: 'command';
  command: ConversationCommand;
}

/** The typed XState setup every part of the conversation machine is built from. */
export const machineSetup = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    emitted: {} as ReplyEmitted | CommandEmitted,
  },
});

/** Inputs of the state builders besides the setup: the office content and complaint settings. */
export interface MachineContent {
  catalog: Catalog;
  complaints: ComplaintSettings;
}

/** Arguments every reply builder receives. */
export interface ActionArgs {
  context: ConversationContext;
  event: ConversationEvent;
}

/** Creates an action that emits the replies built from the context and the event. */
export function say(build: (args: ActionArgs) => Reply | Reply[]) {
  return machineSetup.enqueueActions(({ context, event, enqueue }) => {
    const replies = build({ context, event });
    for (const reply of Array.isArray(replies) ? replies : [replies]) enqueue.emit({ type: 'reply', reply });
  });
}

/** Creates an action that emits a command for the conversation service. */
export function command(build: (args: ActionArgs) => ConversationCommand) {
  return machineSetup.enqueueActions(({ context, event, enqueue }) => {
    enqueue.emit({ type: 'command', command: build({ context, event }) });
  });
}

/** Returns the intent of a free-text event, or `unknown` for any other event. */
export function intentOf(event: ConversationEvent): Intent {
  return event.type === 'TEXT' ? event.intent : { kind: 'unknown' };
}

/** Returns whether the event is a number from 1 to `last`. */
export function isNumberIn(event: ConversationEvent, last: number): boolean {
  return event.type === 'NUMBER' && event.value >= 1 && event.value <= last;
}

/** Returns the reply to a number outside the menu. */
export function invalidChoice(catalog: Catalog, event: ConversationEvent, last: number): Reply {
  return {
    text: fillText(catalog.texts.invalidOption, {
      choice: event.type === 'NUMBER' ? event.value : '?',
      first: 1,
      last,
    }),
  };
}
