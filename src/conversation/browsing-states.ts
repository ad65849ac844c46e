import type { Catalog } from '../catalog/load.js';
import type { Intent } from '../catalog/matcher.js';
import { serviceSections } from '../catalog/sections.js';
import { fillText } from '../catalog/texts-schema.js';
import { intentOf, invalidChoice, isNumberIn, machineSetup, say, type MachineContent } from './machine-setup.js';
import {
  mainMenuSize,
  renderCandidates,
  renderContact,
  renderHours,
  renderMainMenu,
  renderSection,
  renderServiceDetail,
  renderServiceList,
  salutationAt,
  serviceByNumber,
} from './render.js';
import type { Reply } from './reply.js';

/**
 * The catalog part of the conversation: main menu, service list, a service's detail menu
 * and the choice between services an ambiguous question matched. Free text is read here.
 */

/** Builds the browsing states for one office. */
export function browsingStates(content: MachineContent) {
  const { catalog } = content;
  const greetingPreface = (at: string) => `${salutationAt(catalog, new Date(at))}, Bapak/Ibu.`;

  return machineSetup.createStateConfig({
    initial: 'mainMenu',
    on: {
      CANCEL: { target: '.mainMenu', actions: say(() => renderMainMenu(catalog, catalog.texts.cancelled)) },
      TEXT: [
        {
          guard: ({ event }) => intentOf(event).kind === 'service',
          target: '.serviceDetail',
          actions: [
            machineSetup.assign(({ event }) => {
              const intent = intentOf(event);
              return intent.kind === 'service' ? { service: intent.service, candidates: undefined } : {};
            }),
            say(({ event }) => renderServiceAnswer(catalog, intentOf(event))),
          ],
        },
        {
          guard: ({ event }) => intentOf(event).kind === 'ambiguous',
          target: '.choosingService',
          actions: [
            machineSetup.assign(({ event }) => {
              const intent = intentOf(event);
              return intent.kind === 'ambiguous' ? { candidates: intent.candidates } : {};
            }),
            say(({ event }) => {
              const intent = intentOf(event);
              return intent.kind === 'ambiguous' ? renderCandidates(catalog, intent.candidates) : [];
            }),
          ],
        },
        { guard: ({ event }) => intentOf(event).kind === 'complaint', target: '#conversation.complaint' },
        { guard: ({ event }) => intentOf(event).kind === 'status', target: '#conversation.status' },
        {
          guard: ({ event }) => intentOf(event).kind === 'greeting',
          target: '.mainMenu',
          actions: say(({ event }) => renderMainMenu(catalog, greetingPreface(event.at))),
        },
        {
          guard: ({ event }) => intentOf(event).kind === 'unknown',
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
            { guard: ({ event }) => event.value === 2, target: '#conversation.complaint' },
            { guard: ({ event }) => event.value === 3, target: '#conversation.status' },
            { guard: ({ event }) => event.value === 4, actions: say(() => renderContact(catalog)) },
            { actions: say(({ event }) => invalidChoice(catalog, event, mainMenuSize)) },
          ],
        },
      },

      serviceList: {
        on: {
          BACK: { target: 'mainMenu', actions: say(() => renderMainMenu(catalog)) },
          NUMBER: [
            {
              guard: ({ event }) => isNumberIn(event, catalog.services.length),
              target: 'serviceDetail',
              actions: [
                machineSetup.assign(({ event }) => (event.type === 'NUMBER' ? { service: event.value } : {})),
                say(({ context }) => renderServiceDetail(catalog, serviceByNumber(catalog, context.service!))),
              ],
            },
            { actions: say(({ event }) => invalidChoice(catalog, event, catalog.services.length)) },
          ],
        },
      },

      serviceDetail: {
        on: {
          BACK: { target: 'serviceList', actions: say(() => renderServiceList(catalog)) },
          NUMBER: [
            {
              guard: ({ event }) => isNumberIn(event, serviceSections.length),
              actions: say(({ context, event }) => {
                const section = serviceSections[(event.type === 'NUMBER' ? event.value : 0) - 1]!;
                return renderSection(catalog, serviceByNumber(catalog, context.service!), section.aspect);
              }),
            },
            { actions: say(({ event }) => invalidChoice(catalog, event, serviceSections.length)) },
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
                machineSetup.assign(({ event }) =>
                  event.type === 'NUMBER' ? { service: event.value, candidates: undefined } : {},
                ),
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
  });
}

/** Returns a service's detail menu, preceded by the component asked about when the question named one. */
function renderServiceAnswer(catalog: Catalog, intent: Intent): Reply[] {
  if (intent.kind !== 'service') return [];
  const service = serviceByNumber(catalog, intent.service);
  if (!intent.aspect) return [renderServiceDetail(catalog, service)];
  return [renderSection(catalog, service, intent.aspect, { footer: false }), renderServiceDetail(catalog, service)];
}

/** Replies to intents that do not move the conversation: contact, hours, fee, thanks, help. */
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
    default:
      return renderMainMenu(catalog, texts.notUnderstood);
  }
}
