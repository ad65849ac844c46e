import type { WorkingCalendar } from '../../calendar/working-calendar.js';
import type { Catalog } from '../../catalog/load.js';
import { fillText, type TextKey } from '../../catalog/texts-schema.js';
import type { ComplaintService } from '../../complaints/complaint-service.js';
import { parseWholeTicketNumber } from '../../complaints/ticket-number.js';
import type { Reply } from '../../conversation/reply.js';
import type { InboundMessage } from '../../pipeline/inbound-message.js';
import type { Store } from '../../store/store.js';
import type { Officer, Roster } from '../roster.js';
import type { OfficerRole } from '../roster-schema.js';

/** Dependencies of the officer commands: the office content, the roster, complaints and the store. */
export interface DeskDependencies {
  catalog: Catalog;
  roster: Roster;
  complaints: ComplaintService;
  store: Store;
  calendar: WorkingCalendar;
}

/** One command message from an officer. */
export interface CommandRequest {
  officer: Officer;
  message: InboundMessage;
  /** The text after the command word, trimmed, with its case and line breaks kept. */
  args: string;
}

/** An officer chat command. */
export interface OfficerCommand {
  /** The word that starts the command, such as `klasifikasi`. */
  name: string;
  /** Other spellings, such as `catat_aduan` for Telegram, whose commands allow no hyphen. */
  aliases?: readonly string[];
  /** Roles allowed to run it; an empty list allows every officer. */
  roles: readonly OfficerRole[];
  /** Text with the command's form and an example, shown by `bantuan` and after wrong arguments. */
  usage: TextKey;
  /** Runs the command; undefined means the message was a redelivery that changed nothing and gets no reply. */
  run(request: CommandRequest, deps: DeskDependencies): Promise<Reply | undefined>;
}

/** Wrong or missing arguments, to which the desk replies with the command's usage text. */
export class UsageError extends Error {
  constructor() {
    super('Wrong or missing command arguments');
    this.name = 'UsageError';
  }
}

/** A rejection whose reply is already written for the officer, such as an unknown assignee. */
export class CommandRejection extends Error {
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'CommandRejection';
  }
}

/** Returns the text `key` filled with `values`. */
export function textOf(deps: Pick<DeskDependencies, 'catalog'>, key: TextKey, values: Record<string, string | number> = {}): string {
  return fillText(deps.catalog.texts[key], values);
}

/** Most words a ticket may span when typed with spaces, as in "adu 2026 1". */
const maxTicketWords = 3;

/** Marks around a ticket that officers copy along with it, as in "*ADU-2026-00001*" from the bot's bold text. */
const ticketWrapping = /^[*_~.,;:!?()"']+|[*_~.,;:!?()"']+$/g;

/**
 * Splits the ticket off the front of the arguments. The ticket is read like a citizen's
 * (ADU-YYYY-NNNNN, any dash or spaces as separators, zeros optional) from the fewest leading
 * words, up to three, that form a whole ticket once the marks around it are stripped. A
 * missing ticket is a usage error. A first word that starts no ticket is rejected with that
 * word, so a typo never changes another complaint.
 */
export function takeTicket(args: string, deps: Pick<DeskDependencies, 'catalog'>): { ticket: string; rest: string } {
  const words = [...args.matchAll(/\S+/g)].slice(0, maxTicketWords);
  if (words.length === 0) throw new UsageError();

  for (const word of words) {
    const end = word.index + word[0].length;
    const ticket = parseWholeTicketNumber(args.slice(0, end).replace(ticketWrapping, ''));
    if (ticket) return { ticket, rest: args.slice(end).trim() };
  }
  throw new CommandRejection(textOf(deps, 'officerTicketInvalid', { text: words[0]![0] }));
}

/** Returns the complaint class ids and aliases officers may type, for usage and error texts. */
export function classNames(deps: Pick<DeskDependencies, 'catalog'>): string {
  // One name per class: its first alias (the short form officers type) or its id; the other
  // aliases are accepted but not listed.
  return deps.catalog.complaints.classes.map((entry) => entry.aliases[0] ?? entry.id).join(', ');
}
