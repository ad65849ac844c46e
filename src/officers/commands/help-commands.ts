import { classNames, textOf, UsageError, type DeskDependencies, type OfficerCommand } from './command.js';
import type { Officer } from '../roster.js';
import type { TextKey } from '../../catalog/texts-schema.js';

/** `bantuan` and `template`: what an officer can type. Every officer may use them. */

/** Fills a command's usage text, whose placeholders come from the office content. */
export function usageText(deps: DeskDependencies, key: TextKey): string {
  const team = deps.roster.officers.filter((officer) => deps.roster.hasRole(officer, 'tim_pengelola'));
  return textOf(deps, key, {
    classes: classNames(deps),
    officers: team.map((officer) => officer.id).join(', '),
    example: team[0]?.id ?? '',
  }).trim();
}

/**
 * Builds `bantuan` from the command table the desk passes, so that the list shows exactly
 * the commands the officer's roles allow.
 */
export function createHelpCommand(commands: () => readonly OfficerCommand[], allows: (officer: Officer, command: OfficerCommand) => boolean): OfficerCommand {
  return {
    name: 'bantuan',
    roles: [],
    usage: 'officerUsageBantuan',
    async run(request, deps) {
      const usable = commands().filter((command) => allows(request.officer, command));
      const title = textOf(deps, 'officerHelpTitle', { name: request.officer.name });
      return { text: [title, ...usable.map((command) => usageText(deps, command.usage))].join('\n\n') };
    },
  };
}

export const templatesCommand: OfficerCommand = {
  name: 'template',
  roles: [],
  usage: 'officerUsageTemplate',
  async run(request, deps) {
    if (request.args !== '') throw new UsageError();
    const templates = deps.catalog.answerTemplates;
    if (templates.length === 0) return { text: deps.catalog.texts.officerTemplatesEmpty };
    const items = templates.map((template) => textOf(deps, 'officerTemplateItem', { name: template.name, text: template.text }));
    return { text: [deps.catalog.texts.officerTemplatesTitle, ...items].join('\n\n') };
  },
};
