import { enqueueActions, raise, setup } from 'xstate';
import type { Catalog } from '../catalog/load.js';
import type { Intent } from '../catalog/matcher.js';
import { serviceSections } from '../catalog/sections.js';
import { fillText } from '../catalog/texts-schema.js';
import type { ConversationEvent } from './events.js';
import {
  mainMenuSize,
  renderCandidates,
  renderContact,
  renderHours,
  renderMainMenu,
  renderSection,
  renderServiceDetail,
  renderServiceList,
  renderWelcome,
  salutationAt,
  serviceByNumber,
} from './render.js';
import type { Reply } from './reply.js';

/**
 * The citizen conversation as an XState 5 machine.
 *
 * The machine does no I/O: it reads the catalog through a closure and sends replies as
 * emitted `reply` events, which the conversation service collects. Context holds only
 * plain numbers, so a persisted snapshot is small and restores without the catalog.
 * No `after` timers are used, because XState 5.33 does not re-arm them when a snapshot
 * is restored; the idle timeout is applied by the service from the stored update time.
 */

/** Conversation state kept between messages. */
export interface ConversationContext {
  /** Number of the service whose detail menu is open. */
  service?: number;
  /** Services offered after an ambiguous free-text message, in service order. */
  candidates?: number[];
}

/** The event the machine emits for every reply. */
export interface ReplyEmitted {
  type: 'reply';
  reply: Reply;
}

/** Builds the machine for one office's catalog. */
export function createConversationMachine(catalog: Catalog) {
  const say = <Event extends ConversationEvent>(
    build: (args: { context: ConversationContext; event: Event }) => Reply | Reply[],
  ) =>
    enqueueActions<
      ConversationContext,
      Event,
      undefined,
      ConversationEvent,
      never,
      never,
      never,
      never,
      ReplyEmitted
    >(({ context, event, enqueue }) => {
      const replies = build({ context, event });
      for (const reply of Array.isArray(replies) ? replies : [replies]) enqueue.emit({ type: 'reply', reply });
    });

  const invalidChoice = (event: ConversationEvent, last: number): Reply => ({
    text: fillText(catalog.texts.invalidOption, {
      choice: event.type === 'NUMBER' ? event.value : '?',
      first: 1,
      last,
    }),
  });

  const numberIn = (event: ConversationEvent, last: number) =>
    event.type === 'NUMBER' && event.value >= 1 && event.value <= last;

  const intentOf = (event: ConversationEvent): Intent =>
    event.type === 'TEXT' ? event.intent : { kind: 'unknown' };

  return setup({
    types: {
      context: {} as ConversationContext,
      events: {} as ConversationEvent,
      emitted: {} as ReplyEmitted,
    },
    guards: {
      isFirstMessageWithQuestion: ({ event }) => event.type === 'TEXT' && !['unknown', 'greeting'].includes(event.intent.kind),
      isServiceIntent: ({ event }) => intentOf(event).kind === 'service',
      isAmbiguousIntent: ({ event }) => intentOf(event).kind === 'ambiguous',
      isGreetingIntent: ({ event }) => intentOf(event).kind === 'greeting',
      isUnknownIntent: ({ event }) => intentOf(event).kind === 'unknown',
    },
  }).createMachine({
    id: 'conversation',
    context: {},
    initial: 'new',
    states: {
      new: {
        on: {
          '*': [
            {
              // A first message that already asks something gets the welcome, then its answer.
              guard: 'isFirstMessageWithQuestion',
              target: 'browsing.mainMenu',
              actions: [say(({ event }) => renderWelcome(catalog, new Date(event.at))), raise(({ event }) => event)],
            },
            {
              target: 'browsing.mainMenu',
              actions: say(({ event }) => [renderWelcome(catalog, new Date(event.at)), renderMainMenu(catalog)]),
            },
          ],
        },
      },

      browsing: {
        initial: 'mainMenu',
        on: {
          MENU: { target: '.mainMenu', actions: say(() => renderMainMenu(catalog)) },
          GREETING: {
            target: '.mainMenu',
            actions: say(({ event }) => renderMainMenu(catalog, `${salutationAt(catalog, new Date(event.at))}, Bapak/Ibu.`)),
          },
          CANCEL: { target: '.mainMenu', actions: say(() => renderMainMenu(catalog, catalog.texts.cancelled)) },
          HELP: { actions: say(() => ({ text: catalog.texts.help })) },
          EMPTY: { actions: say(() => ({ text: catalog.texts.emptyMessage })) },
          TOO_LONG: {
            actions: say(() => ({ text: fillText(catalog.texts.tooLong, { limit: '4.000' }) })),
          },
          TEXT: [
            {
              guard: 'isServiceIntent',
              target: '.serviceDetail',
              actions: [
                enqueueActions(({ event, enqueue }) => {
                  const intent = intentOf(event);
                  if (intent.kind === 'service') enqueue.assign({ service: intent.service, candidates: undefined });
                }),
                say(({ event }) => {
                  const intent = intentOf(event);
                  if (intent.kind !== 'service') return [];
                  const service = serviceByNumber(catalog, intent.service);
                  if (!intent.aspect) return renderServiceDetail(catalog, service);
                  return [renderSection(catalog, service, intent.aspect), renderServiceDetail(catalog, service)];
                }),
              ],
            },
            {
              guard: 'isAmbiguousIntent',
              target: '.choosingService',
              actions: [
                enqueueActions(({ event, enqueue }) => {
                  const intent = intentOf(event);
                  if (intent.kind === 'ambiguous') enqueue.assign({ candidates: intent.candidates });
                }),
                say(({ event }) => {
                  const intent = intentOf(event);
                  return intent.kind === 'ambiguous' ? renderCandidates(catalog, intent.candidates) : [];
                }),
              ],
            },
            {
              guard: 'isGreetingIntent',
              target: '.mainMenu',
              actions: say(({ event }) => renderMainMenu(catalog, `${salutationAt(catalog, new Date(event.at))}, Bapak/Ibu.`)),
            },
            {
              guard: 'isUnknownIntent',
              target: '.mainMenu',
              actions: say(() => renderMainMenu(catalog, catalog.texts.notUnderstood)),
            },
            { actions: say(({ event }) => answerIntent(catalog, intentOf(event))) },
          ],
        },
        states: {
          mainMenu: {
            on: {
              BACK: { actions: say(() => renderMainMenu(catalog, catalog.texts.alreadyAtTop)) },
              CANCEL: { actions: say(() => renderMainMenu(catalog, catalog.texts.nothingToCancel)) },
              NUMBER: [
                { guard: ({ event }) => event.value === 1, target: 'serviceList', actions: say(() => renderServiceList(catalog)) },
                { guard: ({ event }) => event.value === 2, actions: say(() => answerIntent(catalog, { kind: 'complaint' })) },
                { guard: ({ event }) => event.value === 3, actions: say(() => answerIntent(catalog, { kind: 'status' })) },
                { guard: ({ event }) => event.value === 4, actions: say(() => renderContact(catalog)) },
                { actions: say(({ event }) => invalidChoice(event, mainMenuSize)) },
              ],
            },
          },

          serviceList: {
            on: {
              BACK: { target: 'mainMenu', actions: say(() => renderMainMenu(catalog)) },
              NUMBER: [
                {
                  guard: ({ event }) => numberIn(event, catalog.services.length),
                  target: 'serviceDetail',
                  actions: [
                    enqueueActions(({ event, enqueue }) => {
                      if (event.type === 'NUMBER') enqueue.assign({ service: event.value });
                    }),
                    say(({ context }) => renderServiceDetail(catalog, serviceByNumber(catalog, context.service!))),
                  ],
                },
                { actions: say(({ event }) => invalidChoice(event, catalog.services.length)) },
              ],
            },
          },

          serviceDetail: {
            on: {
              BACK: { target: 'serviceList', actions: say(() => renderServiceList(catalog)) },
              NUMBER: [
                {
                  guard: ({ event }) => numberIn(event, serviceSections.length),
                  actions: say(({ context, event }) => {
                    const section = serviceSections[(event.type === 'NUMBER' ? event.value : 0) - 1]!;
                    return renderSection(catalog, serviceByNumber(catalog, context.service!), section.aspect);
                  }),
                },
                { actions: say(({ event }) => invalidChoice(event, serviceSections.length)) },
              ],
            },
          },

          choosingService: {
            on: {
              BACK: { target: 'mainMenu', actions: say(() => renderMainMenu(catalog)) },
              NUMBER: [
                {
                  guard: ({ context, event }) => context.candidates?.includes(event.value) ?? false,
                  target: 'serviceDetail',
                  actions: [
                    enqueueActions(({ event, enqueue }) => {
                      if (event.type === 'NUMBER') enqueue.assign({ service: event.value, candidates: undefined });
                    }),
                    say(({ context }) => renderServiceDetail(catalog, serviceByNumber(catalog, context.service!))),
                  ],
                },
                {
                  actions: say(({ context }) => ({
                    text: fillText(catalog.texts.invalidOption, {
                      choice: 'itu',
                      first: context.candidates?.[0] ?? 1,
                      last: context.candidates?.at(-1) ?? 1,
                    }),
                    options: renderCandidates(catalog, context.candidates ?? []).options,
                  })),
                },
              ],
            },
          },
        },
      },
    },
  });
}

/** Replies to intents that do not move the conversation (contact, hours, fee, thanks, and menus not built yet). */
function answerIntent(catalog: Catalog, intent: Intent): Reply | Reply[] {
  const { texts, office } = catalog;
  switch (intent.kind) {
    case 'contact':
      return renderContact(catalog);
    case 'hours':
      return renderHours(catalog);
    case 'fee':
      return { text: fillText(texts.feeAnswer, { officeShortName: office.shortName }) };
    case 'thanks':
      return { text: fillText(texts.thanks, { officeShortName: office.shortName }) };
    case 'help':
      return { text: texts.help };
    case 'complaint':
    case 'status': {
      // TODO: replace with the complaint filing and status dialogues once the complaint store exists.
      const feature = intent.kind === 'complaint' ? texts.mainMenuComplaint : texts.mainMenuStatus;
      return {
        text: fillText(texts.comingSoon, { feature, whatsapp: office.whatsapp, telephone: office.telephone }),
      };
    }
    default:
      return renderMainMenu(catalog, texts.notUnderstood);
  }
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;
