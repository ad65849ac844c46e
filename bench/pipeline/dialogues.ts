import type { Catalog } from '../../src/catalog/load.js';
import { sectionLabel } from '../../src/catalog/sections.js';
import type { Reply } from '../../src/conversation/reply.js';

/** One message of a simulated citizen, with a check that the bot replied on the expected path. */
export interface DialogueStep {
  /** Step name for error reports, such as `service menu`. */
  name: string;
  text: string;
  isExpected: (replies: Reply[]) => boolean;
}

/**
 * Free-text questions that open a service's detail menu, by service number. Each one is
 * checked against the reply, so a change in the matcher shows up as a failed step instead
 * of a faster benchmark.
 */
const serviceQuestions: ReadonlyMap<number, string> = new Map([
  [1, 'konsultasi koperasi'],
  [2, 'saya perlu data koperasi kota pontianak'],
  [3, 'KSPPS'],
  [4, 'pembukaan kantor cabang koperasi'],
  [5, 'cabang pembantu'],
  [6, 'kantor kas'],
  [7, 'mau audiensi'],
  [8, 'minta narasumber'],
]);

const complaintText = 'mau komplain pelayanan';

function joinTexts(replies: Reply[]): string {
  return replies.map((reply) => reply.text).join('\n');
}

function lastOptions(replies: Reply[]) {
  return [...replies].reverse().find((reply) => reply.options)?.options ?? [];
}

/**
 * Returns the dialogue of simulated user `userIndex`: a greeting, a service (even users
 * pick it by number from the service list, odd users ask for it in free text), its
 * requirements, and a complaint. Number-path dialogues have 5 messages and free-text ones 4.
 */
export function dialogueFor(userIndex: number, catalog: Catalog): DialogueStep[] {
  const { services, texts } = catalog;
  const service = services[userIndex % services.length]!;
  const requirementsLabel = sectionLabel('requirements');

  const greeting: DialogueStep = {
    name: 'greeting',
    text: 'halo',
    isExpected: (replies) => lastOptions(replies).some((option) => option.label === texts.mainMenuContact),
  };
  const serviceMenu = (text: string): DialogueStep => ({
    name: 'service menu',
    text,
    isExpected: (replies) => joinTexts(replies).includes(`*${service.name}*`) && lastOptions(replies)[0]?.label === requirementsLabel,
  });
  const requirements: DialogueStep = {
    name: 'requirements',
    text: '1',
    isExpected: (replies) => joinTexts(replies).includes(`*${requirementsLabel}*\n${service.name}`),
  };
  const complaint: DialogueStep = {
    name: 'complaint topic',
    text: complaintText,
    isExpected: (replies) => joinTexts(replies).includes(texts.complaintTopicPrompt),
  };

  if (userIndex % 2 === 0) {
    const serviceList: DialogueStep = {
      name: 'service list',
      text: '1',
      isExpected: (replies) => lastOptions(replies).length === services.length,
    };
    return [greeting, serviceList, serviceMenu(String(service.number)), requirements, complaint];
  }

  const question = serviceQuestions.get(service.number);
  if (!question) throw new Error(`No free-text question for service ${service.number}; add one to serviceQuestions`);
  return [greeting, serviceMenu(question), requirements, complaint];
}
