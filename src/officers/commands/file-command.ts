import { offlineChannel, type ComplaintSource, type NewComplaint } from '../../complaints/complaint.js';
import { findComplaintClass } from '../../complaints/complaint-settings.js';
import { generatePin, hashPin, yearIn } from '../../complaints/filing.js';
import { scopedMessageId } from '../../conversation/conversation-service.js';
import { toUserKey } from '../../pipeline/inbound-message.js';
import { hasVisibleCharacter } from '../../text/normalize.js';
import { usageText } from './help-commands.js';
import { CommandRejection, textOf, UsageError, type CommandRequest, type DeskDependencies, type OfficerCommand } from './command.js';

/** `catat-aduan`: files a complaint that reached an officer in person, by phone or by letter. */

const sources: Record<string, Exclude<ComplaintSource, 'chat'>> = {
  datang: 'walk-in',
  telepon: 'phone',
  surat: 'letter',
};

/**
 * Reads an Indonesian mobile number as typed (0812…, +62812…, 62812…, with dots, dashes or
 * brackets between the digits) into the digits WhatsApp uses, 62812…. The typed number must
 * have 10 to 15 digits. Returns undefined for anything else.
 */
export function toWhatsappNumber(text: string): string | undefined {
  const typed = text.replace(/[.()-]/g, '');
  if (!/^(?:0|\+?62)8\d+$/.test(typed)) return undefined;
  const digits = typed.replace(/^\+/, '');
  if (digits.length < 10 || digits.length > 15) return undefined;
  return digits.replace(/^0/, '62');
}

export const fileCommand: OfficerCommand = {
  name: 'catat-aduan',
  aliases: ['catat_aduan', 'catataduan'],
  roles: ['pengelola_pengaduan'],
  usage: 'officerUsageCatatAduan',
  async run(request, deps) {
    const [, sourceWord, numberAndDescription] = /^(\S+)\s+([\s\S]*)$/.exec(request.args) ?? [];
    const source = sources[(sourceWord ?? '').toLowerCase()];
    if (!source || numberAndDescription === undefined) throw new UsageError();
    const { number, description } = splitNumber(deps, numberAndDescription);
    checkDescriptionLength(deps, description);

    const pin = generatePin();
    const complaint = await deps.complaints.fileOnBehalf(
      toNewComplaint(deps, request, { source, number, description, pin }),
      request.officer.id,
      { channel: request.message.channel, messageId: scopedMessageId(request.message), userKey: toUserKey(request.message), processedAt: request.message.receivedAt },
    );
    // A redelivery of a message that filed a complaint files nothing and gets no reply.
    if (!complaint) return undefined;

    const filed = textOf(deps, 'officerFiled', { ticket: complaint.ticket, pin, deadline: deps.calendar.formatDeadline(complaint.dueAt) });
    const delivery = number ? textOf(deps, 'officerFiledWhatsapp', { number }) : deps.catalog.texts.officerCitizenOffline;
    return { text: `${filed}\n${delivery}` };
  },
};

/**
 * Splits the number (or `-`), which is exactly the first word, off the description. The rest
 * is the description, unchanged, so "0812345678 500 ribu rupiah …" keeps "500" in it. A first
 * word that is no mobile number is rejected with the command's usage.
 */
function splitNumber(deps: DeskDependencies, text: string): { number: string | undefined; description: string } {
  const [, word, description] = /^(\S+)\s+([\s\S]*)$/.exec(text) ?? [];
  if (word === undefined || description === undefined) throw new UsageError();
  if (!hasVisibleCharacter(description)) throw new UsageError();
  if (word === '-') return { number: undefined, description: description.trim() };

  const number = toWhatsappNumber(word);
  if (!number) {
    const rejection = textOf(deps, 'officerFileNumberInvalid', { number: word });
    throw new CommandRejection(`${rejection}\n${usageText(deps, 'officerUsageCatatAduan')}`);
  }
  return { number, description: description.trim() };
}

function checkDescriptionLength(deps: DeskDependencies, description: string): void {
  const { descriptionMinCharacters: min, descriptionMaxCharacters: max } = deps.catalog.complaints.limits;
  const length = [...description].length;
  if (length < min || length > max) throw new CommandRejection(textOf(deps, 'officerFileDescriptionLength', { min, max, length }));
}

/** Builds the complaint with the unclassified deadline counted from the officer's message. */
function toNewComplaint(
  deps: DeskDependencies,
  request: CommandRequest,
  input: { source: Exclude<ComplaintSource, 'chat'>; number: string | undefined; description: string; pin: string },
): NewComplaint {
  const settings = deps.catalog.complaints;
  const calendar = deps.calendar;
  const receivedAt = request.message.receivedAt;
  const unclassified = findComplaintClass(settings, settings.unclassifiedClass);
  return {
    year: yearIn(receivedAt, calendar.timeZone),
    // The officer's words carry the topic; the officer can classify it right after.
    topic: { kind: 'general' },
    description: input.description,
    evidence: [],
    identity: 'named',
    channel: input.number ? 'whatsapp' : offlineChannel,
    userId: input.number ?? '-',
    pinHash: hashPin(input.pin),
    source: input.source,
    receivedAt,
    dueAt: calendar.computeDeadline(receivedAt, unclassified.deadline),
  };
}
