import { z } from 'zod';
import { officerTextPlaceholders } from '../officers/officer-texts.js';

/**
 * Every text the bot sends, with the placeholders it may use. The loader rejects a text
 * that uses another placeholder, because filling it would fail while a citizen waits.
 */
export const textPlaceholders = {
  greeting: ['salutation', 'officeName'],
  salutationMorning: [],
  salutationMidday: [],
  salutationAfternoon: [],
  salutationEvening: [],
  privacyNotice: [],
  mainMenuTitle: [],
  mainMenuServices: [],
  mainMenuComplaint: [],
  mainMenuStatus: [],
  mainMenuContact: [],
  menuHint: [],
  serviceListTitle: ['count', 'officeShortName'],
  serviceDetailTitle: ['serviceName'],
  sectionFooter: [],
  contactBody: ['officeName', 'address', 'city', 'whatsapp', 'telephone', 'website', 'email', 'hours'],
  hoursBody: ['officeShortName', 'hours'],
  help: [],
  cancelled: [],
  nothingToCancel: [],
  alreadyAtTop: [],
  sessionExpired: [],
  invalidOption: ['choice', 'first', 'last'],
  emptyMessage: [],
  notUnderstood: [],
  ambiguous: [],
  feeAnswer: ['officeShortName'],
  thanks: ['officeShortName'],
  internalError: ['reference'],
  tooLong: ['limit'],
  busyHeld: [],
  busyRejected: [],
  complaintTopicPrompt: [],
  complaintTopicGeneral: [],
  complaintTopicPayment: [],
  complaintDescriptionPrompt: [],
  complaintPaymentNote: [],
  complaintDescriptionTooShort: ['min'],
  complaintDescriptionTooLong: ['max'],
  complaintEvidencePrompt: ['maxFiles', 'maxSize'],
  complaintEvidenceReceived: ['count', 'maxFiles'],
  complaintEvidenceTooLarge: ['fileName', 'size', 'maxSize'],
  complaintEvidenceUnsupported: ['fileName', 'size', 'maxSize'],
  complaintEvidenceEmpty: ['fileName', 'size', 'maxSize'],
  complaintEvidenceTooMany: ['maxFiles'],
  complaintEvidenceExpected: [],
  complaintEvidenceNotNow: [],
  complaintMediaBeforeDescription: [],
  complaintChooseOption: [],
  complaintIdentityPrompt: [],
  complaintIdentityNamed: [],
  complaintIdentityConfidential: [],
  complaintNamePrompt: [],
  complaintNameInvalid: [],
  complaintSummary: ['topic', 'description', 'evidence', 'identity'],
  complaintSummaryNoEvidence: [],
  complaintSummaryConfidential: [],
  complaintSubmit: [],
  complaintEdit: [],
  complaintDiscard: [],
  complaintEditPrompt: [],
  complaintEditTopic: [],
  complaintEditDescription: [],
  complaintEditEvidence: [],
  complaintEditIdentity: [],
  complaintCancelConfirm: [],
  complaintCancelYes: [],
  complaintCancelNo: [],
  complaintDiscarded: [],
  complaintDraftSaved: [],
  complaintDraftResume: [],
  complaintDraftContinue: [],
  complaintDraftRestart: [],
  complaintFiled: ['ticket', 'pin', 'dueText'],
  statusChooseComplaint: [],
  statusNone: [],
  statusAskTicket: [],
  statusTicketInvalid: [],
  statusAskPin: ['ticket'],
  statusPinInvalid: [],
  statusPinWrong: ['remaining'],
  statusPinLocked: ['minutes'],
  statusDetail: ['ticket', 'topic', 'status', 'classLabel', 'dueText', 'updatedText'],
  statusUnclassified: [],
  statusAnswer: ['answer'],
  statusClosingNote: ['note'],
  ...officerTextPlaceholders,
  staleButton: [],
  fileNotReceived: ['maxSize'],
  mediaNotSupported: ['maxSize'],
  whatsappLateReply: [],
  whatsappViewOnceResend: [],
  whatsappUnsupportedMessage: [],
  whatsappMediaTooLarge: ['maxSize'],
  whatsappMediaExpired: [],
  whatsappMediaFailed: [],
} as const satisfies Record<string, readonly string[]>;

export type TextKey = keyof typeof textPlaceholders;
export const textKeys = Object.keys(textPlaceholders) as TextKey[];

/** Placeholders a text must contain, because without them the message loses its point. */
const requiredPlaceholders: Partial<Record<TextKey, readonly string[]>> = {
  complaintFiled: ['ticket', 'pin'],
  internalError: ['reference'],
  statusAskPin: ['ticket'],
  statusDetail: ['ticket', 'status'],
  officerFiled: ['ticket', 'pin'],
};

/**
 * Zod schema for `texts.yaml`: every sentence the bot sends, so an office can reword its
 * bot without touching code. Placeholders are written `{name}` and filled by `fillText`.
 * A text missing from the file stops the start, because a silent fallback would send
 * citizens an empty message.
 */
export const textsSchema = z
  .strictObject(
    Object.fromEntries(textKeys.map((key) => [key, z.string().trim().min(1, 'must not be empty')])) as {
      [key in TextKey]: z.ZodString;
    },
  )
  .superRefine((texts, context) => {
    for (const key of textKeys) {
      const used = [...texts[key].matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const allowed: readonly string[] = textPlaceholders[key];
      for (const name of used.filter((placeholder) => !allowed.includes(placeholder))) {
        const hint = allowed.length > 0 ? `allowed: ${allowed.map((item) => `{${item}}`).join(', ')}` : 'this text takes no placeholders';
        context.addIssue({ code: 'custom', path: [key], message: `unknown placeholder {${name}} (${hint})` });
      }
      for (const name of (requiredPlaceholders[key] ?? []).filter((placeholder) => !used.includes(placeholder))) {
        context.addIssue({ code: 'custom', path: [key], message: `must contain the placeholder {${name}}` });
      }
    }
  });
export type Texts = z.output<typeof textsSchema>;

/** Replaces each `{name}` in a text with `values[name]`; a missing value is an error, not an empty string. */
export function fillText(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Text placeholder {${name}} has no value in: ${template.slice(0, 60)}`);
    return String(value);
  });
}
