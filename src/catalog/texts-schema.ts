import { z } from 'zod';

/**
 * Zod schema for `texts.yaml`: every sentence the bot sends, so an office can reword its
 * bot without touching code. Placeholders are written `{name}` and filled by `fillText`.
 * A text missing from the file stops the start, because a silent fallback would send
 * citizens an empty message.
 */
export const textKeys = [
  'greeting',
  'salutationMorning',
  'salutationMidday',
  'salutationAfternoon',
  'salutationEvening',
  'privacyNotice',
  'mainMenuTitle',
  'mainMenuServices',
  'mainMenuComplaint',
  'mainMenuStatus',
  'mainMenuContact',
  'menuHint',
  'serviceListTitle',
  'serviceDetailTitle',
  'sectionFooter',
  'comingSoon',
  'contactBody',
  'hoursBody',
  'help',
  'cancelled',
  'nothingToCancel',
  'alreadyAtTop',
  'sessionExpired',
  'invalidOption',
  'emptyMessage',
  'notUnderstood',
  'ambiguous',
  'feeAnswer',
  'thanks',
  'internalError',
  'tooLong',
  'busyHeld',
  'busyRejected',
  'complaintTopicPrompt',
  'complaintTopicGeneral',
  'complaintTopicPayment',
  'complaintDescriptionPrompt',
  'complaintPaymentNote',
  'complaintDescriptionTooShort',
  'complaintDescriptionTooLong',
  'complaintEvidencePrompt',
  'complaintEvidenceReceived',
  'complaintEvidenceTooLarge',
  'complaintEvidenceUnsupported',
  'complaintEvidenceEmpty',
  'complaintEvidenceTooMany',
  'complaintEvidenceExpected',
  'complaintEvidenceNotNow',
  'complaintIdentityPrompt',
  'complaintIdentityNamed',
  'complaintIdentityConfidential',
  'complaintNamePrompt',
  'complaintNameInvalid',
  'complaintSummary',
  'complaintSummaryNoEvidence',
  'complaintSummaryConfidential',
  'complaintSubmit',
  'complaintEdit',
  'complaintDiscard',
  'complaintEditPrompt',
  'complaintEditTopic',
  'complaintEditDescription',
  'complaintEditEvidence',
  'complaintEditIdentity',
  'complaintCancelConfirm',
  'complaintCancelYes',
  'complaintCancelNo',
  'complaintDiscarded',
  'complaintDraftSaved',
  'complaintDraftResume',
  'complaintDraftContinue',
  'complaintDraftRestart',
  'complaintFiled',
  'statusChooseComplaint',
  'statusNone',
  'statusAskTicket',
  'statusTicketInvalid',
  'statusAskPin',
  'statusPinInvalid',
  'statusPinWrong',
  'statusPinLocked',
  'statusDetail',
  'statusUnclassified',
  'statusAnswer',
  'statusClosingNote',
] as const;
export type TextKey = (typeof textKeys)[number];

export const textsSchema = z.strictObject(
  Object.fromEntries(textKeys.map((key) => [key, z.string().trim().min(1, 'must not be empty')])) as {
    [key in TextKey]: z.ZodString;
  },
);
export type Texts = z.output<typeof textsSchema>;

/** Replaces each `{name}` in a text with `values[name]`; a missing value is an error, not an empty string. */
export function fillText(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Text placeholder {${name}} has no value in: ${template.slice(0, 60)}`);
    return String(value);
  });
}
