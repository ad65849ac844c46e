import { fillText } from '../catalog/texts-schema.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import type { ConversationEvent } from './events.js';
import { command, intentOf, machineSetup, say, type MachineContent } from './machine-setup.js';
import { renderMainMenu } from './render.js';
import { renderOwnComplaints, renderStatus } from './render-complaint.js';

/**
 * The status check. The `waiting…` states last only inside one turn: the machine emits a
 * command, the conversation service answers it with a result event before the turn ends,
 * so a stored snapshot is never in one of them.
 */

/** Returns the ticket number a message names, from the matcher or by parsing the text. */
function ticketIn(event: ConversationEvent): string | undefined {
  const intent = intentOf(event);
  if (intent.kind === 'status' && intent.ticket) return intent.ticket;
  return event.type === 'TEXT' ? parseTicketNumber(event.text) : undefined;
}

/** Returns the PIN when the message is exactly four digits. */
function pinIn(event: ConversationEvent): string | undefined {
  if (event.type !== 'TEXT') return undefined;
  const pin = event.text.normalize('NFKC').trim();
  return /^\d{4}$/.test(pin) ? pin : undefined;
}

/** Builds the status states for one office. */
export function statusStates(content: MachineContent) {
  const { catalog } = content;
  const { texts } = catalog;
  const lookUp = command(({ event }) => ({ kind: 'lookupTicket', ticket: ticketIn(event)! }));
  const showAndFinish = {
    target: '#conversation.browsing.mainMenu',
    actions: [
      machineSetup.assign({ ownTickets: undefined, pendingTicket: undefined }),
      say(({ event }) => (event.type === 'STATUS_FOUND' ? renderStatus(catalog, event.summary) : [])),
    ],
  } as const;

  return machineSetup.createStateConfig({
    initial: 'entering',
    on: {
      BACK: { target: '#conversation.browsing.mainMenu', actions: say(() => renderMainMenu(catalog)) },
      CANCEL: { target: '#conversation.browsing.mainMenu', actions: say(() => renderMainMenu(catalog, texts.cancelled)) },
    },
    states: {
      entering: {
        always: [
          { guard: ({ event }) => ticketIn(event) !== undefined, target: 'waitingForLookup', actions: lookUp },
          { target: 'waitingForList', actions: command(() => ({ kind: 'listOwnComplaints' })) },
        ],
      },

      waitingForList: {
        on: {
          OWN_COMPLAINTS: [
            {
              guard: ({ event }) => event.complaints.length === 0,
              target: 'askingTicket',
              actions: say(() => ({ text: `${texts.statusNone}\n${texts.statusAskTicket}` })),
            },
            {
              target: 'choosingComplaint',
              actions: [
                machineSetup.assign(({ event }) =>
                  event.type === 'OWN_COMPLAINTS' ? { ownTickets: event.complaints.map((summary) => summary.ticket) } : {},
                ),
                say(({ event }) => (event.type === 'OWN_COMPLAINTS' ? renderOwnComplaints(catalog, event.complaints) : [])),
              ],
            },
          ],
        },
      },

      choosingComplaint: {
        on: {
          NUMBER: [
            {
              guard: ({ context, event }) => event.value >= 1 && event.value <= (context.ownTickets?.length ?? 0),
              target: 'waitingForLookup',
              actions: command(({ context, event }) => ({
                kind: 'lookupTicket',
                ticket: context.ownTickets![(event.type === 'NUMBER' ? event.value : 1) - 1]!,
              })),
            },
            {
              actions: say(({ context, event }) => ({
                text: fillText(texts.invalidOption, {
                  choice: event.type === 'NUMBER' ? event.value : '?',
                  first: 1,
                  last: context.ownTickets?.length ?? 1,
                }),
              })),
            },
          ],
          TEXT: [
            { guard: ({ event }) => ticketIn(event) !== undefined, target: 'waitingForLookup', actions: lookUp },
            { actions: say(() => ({ text: texts.statusTicketInvalid })) },
          ],
        },
      },

      askingTicket: {
        on: {
          TEXT: [
            { guard: ({ event }) => ticketIn(event) !== undefined, target: 'waitingForLookup', actions: lookUp },
            { actions: say(() => ({ text: texts.statusTicketInvalid })) },
          ],
          NUMBER: { actions: say(() => ({ text: texts.statusTicketInvalid })) },
        },
      },

      waitingForLookup: {
        on: {
          STATUS_FOUND: showAndFinish,
          PIN_LOCKED: {
            target: '#conversation.browsing.mainMenu',
            actions: say(({ event }) => ({
              text: fillText(texts.statusPinLocked, { minutes: event.type === 'PIN_LOCKED' ? event.minutes : 0 }),
            })),
          },
          PIN_REQUIRED: {
            target: 'askingPin',
            actions: [
              machineSetup.assign(({ event }) => (event.type === 'PIN_REQUIRED' ? { pendingTicket: event.ticket } : {})),
              say(({ event }) => ({
                text: fillText(texts.statusAskPin, { ticket: event.type === 'PIN_REQUIRED' ? event.ticket : '' }),
              })),
            ],
          },
        },
      },

      askingPin: {
        on: {
          TEXT: [
            // Another ticket number instead of a PIN starts over with that ticket.
            { guard: ({ event }) => ticketIn(event) !== undefined, target: 'waitingForLookup', actions: lookUp },
            {
              guard: ({ event }) => pinIn(event) !== undefined,
              target: 'waitingForPin',
              actions: command(({ context, event }) => ({ kind: 'checkPin', ticket: context.pendingTicket!, pin: pinIn(event)! })),
            },
            { actions: say(() => ({ text: texts.statusPinInvalid })) },
          ],
          NUMBER: { actions: say(() => ({ text: texts.statusPinInvalid })) },
        },
      },

      waitingForPin: {
        on: {
          STATUS_FOUND: showAndFinish,
          PIN_WRONG: {
            target: 'askingPin',
            actions: say(({ event }) => ({
              text: fillText(texts.statusPinWrong, { remaining: event.type === 'PIN_WRONG' ? event.remaining : 0 }),
            })),
          },
          PIN_LOCKED: {
            target: '#conversation.browsing.mainMenu',
            actions: [
              machineSetup.assign({ pendingTicket: undefined }),
              say(({ event }) => ({
                text: fillText(texts.statusPinLocked, { minutes: event.type === 'PIN_LOCKED' ? event.minutes : 0 }),
              })),
            ],
          },
        },
      },
    },
  });
}
