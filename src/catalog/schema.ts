import { z } from 'zod';

/**
 * Zod schemas for an office's content folder (`flows/<office>/`).
 *
 * The service files follow the fourteen components that a Standar Pelayanan must contain
 * under PermenPANRB 15/2014: six "service delivery" components and eight "manufacturing"
 * components. Keys are English (see the glossary); every text is the decree's own wording.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A list entry: plain text, or text with a note that belongs to it (such as "if the file is delegated"). */
export const listItemSchema = z.union([
  nonEmpty.transform((text) => ({ text, note: undefined as string | undefined })),
  z.strictObject({ text: nonEmpty, note: nonEmpty.optional() }),
]);
export type ListItem = z.output<typeof listItemSchema>;

/** A component that is a numbered list with optional closing notes ("Catatan : ..."). */
const listSectionSchema = z.strictObject({
  items: z.array(listItemSchema).min(1, 'needs at least one item'),
  notes: z.array(nonEmpty).optional(),
});

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, for example 07:30');

export const serviceSchema = z.strictObject({
  /** Position in the decree's list of services, 1-based; also the number citizens type. */
  number: z.number().int().min(1),
  /** Stable identifier in kebab-case, used in logs and stored snapshots. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, for example pertek-usp'),
  /** Name as the decree writes it. */
  name: nonEmpty,
  /** Short name for menus. */
  shortName: nonEmpty,
  /** Words and phrases citizens use for this service, matched with typo tolerance. */
  keywords: z.array(nonEmpty).min(1),
  requirements: listSectionSchema,
  procedure: z.strictObject({
    steps: z.array(nonEmpty).min(1),
    /** Labels of the flow-chart boxes (the alur), in the order of the arrows. */
    diagram: z.array(nonEmpty).min(1),
  }),
  completionTime: z.strictObject({
    items: z
      .array(z.strictObject({ label: nonEmpty.optional(), duration: nonEmpty }))
      .min(1),
  }),
  fee: z.strictObject({
    /** Amount in rupiah. */
    amount: z.number().int().min(0),
    text: nonEmpty,
  }),
  product: listSectionSchema,
  complaintHandling: z.strictObject({
    channels: z.array(nonEmpty).min(1),
    /** Labels of the complaint flow-chart boxes (alur penanganan pengaduan), in order. */
    flow: z.array(nonEmpty).min(1),
    deadlines: z.array(nonEmpty).min(1),
  }),
  legalBasis: listSectionSchema,
  facilities: listSectionSchema,
  competence: listSectionSchema,
  internalOversight: listSectionSchema,
  staffCount: z.strictObject({
    count: z.number().int().min(1),
    text: nonEmpty,
  }),
  serviceGuarantee: listSectionSchema,
  safetyGuarantee: listSectionSchema,
  performanceEvaluation: listSectionSchema,
});
export type Service = z.output<typeof serviceSchema>;

const periodSchema = z
  .strictObject({ start: timeOfDay, end: timeOfDay })
  .refine((period) => period.start < period.end, { message: 'start must be before end' });

const dayHoursSchema = z.array(periodSchema).refine(
  (periods) => periods.every((period, i) => i === 0 || periods[i - 1]!.end <= period.start),
  { message: 'periods must be in order and must not overlap' },
);

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

export const officeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
  name: nonEmpty,
  shortName: nonEmpty,
  address: nonEmpty,
  city: nonEmpty,
  whatsapp: z.string().regex(/^0\d{8,13}$/, 'must be a national number such as 081256506007'),
  telephone: nonEmpty,
  website: nonEmpty,
  email: z.email(),
  /** IANA time zone of the office, used for office hours and deadlines. */
  timeZone: nonEmpty.refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Asia/Pontianak' }),
  /** Abbreviation shown after times, such as WIB. */
  timeZoneLabel: nonEmpty,
  /** Office hours per weekday as periods with the breaks left out; an empty list means closed. */
  officeHours: z.strictObject(Object.fromEntries(weekdays.map((day) => [day, dayHoursSchema])) as {
    [day in Weekday]: typeof dayHoursSchema;
  }),
  decree: z.strictObject({ number: nonEmpty, title: nonEmpty, year: z.number().int() }),
});
export type Office = z.output<typeof officeSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
