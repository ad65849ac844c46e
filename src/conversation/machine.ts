import { fillText } from '../catalog/texts-schema.js';
import { browsingStates } from './browsing-states.js';
import { hasDraftContent } from './complaint-draft.js';
import { complaintStates } from './complaint-states.js';
import { maxMessageLength } from './events.js';
import { intentOf, machineSetup, say, type MachineContent } from './machine-setup.js';
import { renderMainMenu, renderWelcome, salutationAt } from './render.js';
import { statusStates } from './status-states.js';

export type {
  CommandEmitted,
  ConversationCommand,
  ConversationContext,
  MachineContent,
  ReplyEmitted,
} from './machine-setup.js';

/**
 * The citizen conversation as an XState 5 machine.
 *
 * The machine does no I/O: it reads the office content through a closure, sends replies as
 * emitted `reply` events and asks for reads and writes with emitted `command` events, which
 * the conversation service executes. Context holds only plain data, so a persisted snapshot
 * is small and restores without the catalog. No `after` timers are used, because XState 5.33
 * does not re-arm them when a snapshot is restored; the idle timeout is applied by the service
 * from the stored update time.
 *
 * Global commands are handled at the root, so every state gets them unless it handles them
 * itself: `menu` and greetings go to the main menu (a complaint draft is kept), `bantuan`
 * explains the bot, `batal` cancels what is in progress.
 */
export function createConversationMachine(content: MachineContent) {
  const { catalog } = content;
  const { texts } = catalog;
  const mainMenuPreface = (draftKept: boolean, greeting?: string) =>
    [greeting, draftKept ? texts.complaintDraftSaved : undefined].filter(Boolean).join('\n\n') || undefined;

  return machineSetup.createMachine({
    id: 'conversation',
    context: {},
    initial: 'new',
    on: {
      MENU: {
        target: '.browsing.mainMenu',
        actions: say(({ context }) => renderMainMenu(catalog, mainMenuPreface(hasDraftContent(context.draft)))),
      },
      GREETING: {
        target: '.browsing.mainMenu',
        actions: say(({ context, event }) =>
          renderMainMenu(catalog, mainMenuPreface(hasDraftContent(context.draft), `${salutationAt(catalog, new Date(event.at))}, Bapak/Ibu.`)),
        ),
      },
      HELP: { actions: say(() => ({ text: texts.help })) },
      EMPTY: { actions: say(() => ({ text: texts.emptyMessage })) },
      TOO_LONG: {
        actions: say(() => ({
          text: fillText(texts.tooLong, { limit: new Intl.NumberFormat('id-ID').format(maxMessageLength) }),
        })),
      },
      MEDIA: { actions: say(() => ({ text: texts.complaintEvidenceNotNow })) },
    },
    states: {
      new: {
        on: {
          '*': [
            {
              // A first message in words gets the welcome, then the answer (or the "not understood" help).
              guard: ({ event }) => event.type === 'TEXT' && intentOf(event).kind !== 'greeting',
              target: 'browsing',
              actions: [
                say(({ event }) => renderWelcome(catalog, new Date(event.at))),
                machineSetup.raise(({ event }) => event),
              ],
            },
            {
              target: 'browsing',
              actions: say(({ event }) => [renderWelcome(catalog, new Date(event.at)), renderMainMenu(catalog)]),
            },
          ],
        },
      },
      browsing: browsingStates(content),
      complaint: complaintStates(content),
      status: statusStates(content),
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
