import { z } from 'zod';

/**
 * Zod schema for `lexicon.yaml`: the words citizens use for intents and for the components
 * of a service, which the matcher reads. Service names and their synonyms live in each
 * service file (`keywords`).
 */

const phrases = z.array(z.string().trim().min(1, 'must not be empty')).min(1);

export const intentNames = ['complaint', 'status', 'contact', 'hours', 'fee', 'help'] as const;
export type IntentName = (typeof intentNames)[number];

export const aspectNames = [
  'requirements',
  'procedure',
  'completionTime',
  'fee',
  'product',
  'complaintHandling',
  'legalBasis',
  'facilities',
  'competence',
  'internalOversight',
  'staffCount',
  'serviceGuarantee',
  'safetyGuarantee',
  'performanceEvaluation',
] as const;
export type AspectName = (typeof aspectNames)[number];

export const lexiconSchema = z.strictObject({
  /** Messages that are only a greeting show the main menu. */
  greetings: phrases,
  /** Thanks and goodbyes get a polite close. */
  thanks: phrases,
  /** Phrases that signal an intent other than a service. */
  intents: z.strictObject(Object.fromEntries(intentNames.map((name) => [name, phrases])) as {
    [name in IntentName]: typeof phrases;
  }),
  /** Phrases that ask for one component of a service ("syarat", "berapa lama"). */
  aspects: z.strictObject(Object.fromEntries(aspectNames.map((name) => [name, z.array(z.string().trim().min(1))])) as {
    [name in AspectName]: z.ZodArray<z.ZodString>;
  }),
  /** Filler words ignored when matching ("apa", "aja", "mau"). */
  stopwords: z.array(z.string().trim().min(1)),
});
export type Lexicon = z.output<typeof lexiconSchema>;
