import { offlineChannel, type ComplaintSource, type NewComplaint } from '../../complaints/complaint.js';
import { findComplaintClass } from '../../complaints/complaint-settings.js';
import { generatePin, hashPin, yearIn } from '../../complaints/filing.js';
import { scopedMessageId } from '../../conversation/conversation-service.js';
import { toUserKey } from '../../pipeline/inbound-message.js';
import { CommandRejection, textOf, UsageError, type CommandRequest, type DeskDependencies, type OfficerCommand } from './command.js';

/** `catat-aduan`: files a complaint that reached an officer in person, by phone or by letter. */

const sources: Record<string, Exclude<ComplaintSource, 'chat'>> = {
  datang: 'walk-in',
  telepon: 'phone',
  surat: 'letter',
};

/**
 * Reads an Indonesian mobile number as typed (0812…, +62 812…, 62812…) into the digits
 * WhatsApp uses, 62812…; returns undefined for anything else.
 */
export function toWhatsappNumber(text: string): string | undefined {
  const digits = text.replace(/[\s.()-]/g, '');
  const international = digits.replace(/^\+?62/, '62').replace(/^0/, '62');
  return /^628\d{7,11}$/.test(international) ? international : undefined;
}

export const fileCommand: OfficerCommand = {
  name: 'catat-aduan',
  aliases: ['catat_aduan', 'catataduan'],
  roles: ['pengelola_pengaduan'],
  usage: 'officerUsageCatatAduan',
  async run(request, deps) {
    const words = request.args.split(/\s+/);
    const source = sources[(words[0] ?? '').toLowerCase()];
    if (!source || words.length < 3) throw new UsageError();
    const { number, description } = splitNumber(deps, request.args.slice(request.args.indexOf(words[1]!)));
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
 * Splits the number (or `-`) off the description. A number may be typed in groups, as in
 * "0812 3456 7890": the longest run of leading groups of at least three digits that reads as
 * a number wins, so a description that starts with a day ("2 Desember") stays whole.
 */
function splitNumber(deps: DeskDependencies, text: string): { number: string | undefined; description: string } {
  const words = text.split(/\s+/);
  const dropWords = (count: number) => text.replace(new RegExp(`^(\\S+\\s+){${count}}`), '').trim();
  if (words[0] === '-') return { number: undefined, description: dropWords(1) };

  let number: string | undefined;
  let taken = 0;
  for (let count = 1; count < words.length; count++) {
    if (count > 1 && !/^\d{3,}$/.test(words[count - 1]!)) break;
    const candidate = toWhatsappNumber(words.slice(0, count).join(''));
    if (candidate) [number, taken] = [candidate, count];
  }
  if (!number) throw new CommandRejection(textOf(deps, 'officerFileNumberInvalid', { number: words[0]! }));
  return { number, description: dropWords(taken) };
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
