import { z } from 'zod';
import { durationSpecSchema } from '../calendar/duration-spec.js';
import { reminderSettingsSchema } from '../reminders/reminder-settings.js';
import { templatesSchema } from '../text/template-schema.js';
import { complaintStatuses, type ComplaintStatus } from './complaint.js';
import { ComplaintError } from './errors.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const classSchema = z.strictObject({
  /** Stable id stored on complaints, such as `normatif`. */
  id: z.string().regex(/^[a-z]+(_[a-z]+)*$/, 'must be snake_case such as tidak_berkadar_pengawasan'),
  /** Other names officers may type, such as `tidak-berkadar`. */
  aliases: z.array(nonEmpty).default([]),
  /** Name citizens and officers read, as the decree writes it. */
  label: nonEmpty,
  deadline: durationSpecSchema,
});

/**
 * Parts of the message a citizen receives when their complaint changes, each with the
 * `{placeholder}` names it may use. See `notifications` in complaints.yaml for the order.
 */
export const notificationPlaceholders = {
  statusChanged: ['ticket', 'status'],
  classChanged: ['ticket', 'status'],
  deadline: ['classLabel', 'deadline'],
  answer: ['answer'],
  rejectionReason: ['reason'],
  forwarded: ['agency'],
  closing: [],
  replyHint: ['ticket'],
} as const satisfies Record<string, readonly string[]>;
export type NotificationPart = keyof typeof notificationPlaceholders;

/** History notes the bot writes, each with the `{placeholder}` names it may use. */
export const historyNotePlaceholders = {
  classified: ['class'],
  classChanged: ['from', 'to'],
  rejected: ['reason'],
  forwarded: ['agency'],
  answered: ['answer'],
  assigned: ['assignee'],
  reassigned: ['assignee', 'previous'],
  note: ['note'],
  processingForAnswer: [],
  notSettled: ['reason'],
  autoClosed: ['days'],
} as const satisfies Record<string, readonly string[]>;
export type HistoryNote = keyof typeof historyNotePlaceholders;

/** Fills a history note's template; its placeholders were checked when the settings loaded. */
export function historyNote(settings: Pick<ComplaintSettings, 'historyNotes'>, name: HistoryNote, values: Record<string, string | number> = {}): string {
  return settings.historyNotes[name].replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/**
 * Zod schema for `flows/<office>/complaints.yaml`: the office's complaint classes with their
 * deadlines, the class that applies until an officer classifies a complaint, the status
 * labels citizens read and the limits of the filing dialogue. It also has the templates of
 * the messages citizens receive when an officer changes their complaint.
 */
export const complaintSettingsSchema = z
  .strictObject({
    classes: z.array(classSchema).min(1),
    /** Class whose deadline applies until an officer classifies a complaint. */
    unclassifiedClass: nonEmpty,
    statusLabels: z.strictObject(
      Object.fromEntries(complaintStatuses.map((status) => [status, nonEmpty])) as { [status in ComplaintStatus]: typeof nonEmpty },
    ),
    limits: z.strictObject({
      /** Minimum description length accepted, in characters. */
      descriptionMinCharacters: z.number().int().min(1),
      /** Maximum description length accepted, in characters. */
      descriptionMaxCharacters: z.number().int().min(1).max(4000),
      /** Most evidence files per complaint. */
      evidenceMaxFiles: z.number().int().min(0).max(20),
      /** Largest evidence file, in bytes. */
      evidenceMaxBytes: z.number().int().min(1),
      /** MIME types accepted as evidence, checked against the file's content. */
      evidenceMimeTypes: z.array(nonEmpty).min(1),
    }),
    /** Templates of the messages citizens receive when an officer changes their complaint. */
    notifications: templatesSchema(notificationPlaceholders),
    /** Notes the bot writes into the history, which officers read. */
    historyNotes: templatesSchema(historyNotePlaceholders),
    /** Reminders, escalation and the automatic close; see reminders/reminder-settings.ts. */
    reminders: reminderSettingsSchema,
    /**
     * The satisfaction survey (Survei Kepuasan Masyarakat). When set, a citizen who closes a
     * complaint with `selesai` is invited to it; leave it out while the office has none.
     */
    survey: z.strictObject({ url: z.url({ message: 'must be a web address such as https://example.go.id/skm' }) }).optional(),
    pin: z.strictObject({
      /** Wrong PINs allowed per ticket and user within the window before checks are refused. */
      maxFailures: z.number().int().min(1),
      /** Length of that window, in minutes. */
      windowMinutes: z.number().int().min(1),
    }),
  })
  .superRefine((settings, context) => {
    const ids = settings.classes.map((entry) => entry.id);
    if (!ids.includes(settings.unclassifiedClass)) {
      context.addIssue({
        code: 'custom',
        path: ['unclassifiedClass'],
        message: `must be one of the class ids: ${ids.join(', ')}`,
      });
    }
    if (settings.limits.descriptionMinCharacters > settings.limits.descriptionMaxCharacters) {
      context.addIssue({ code: 'custom', path: ['limits', 'descriptionMinCharacters'], message: 'must not exceed descriptionMaxCharacters' });
    }
  });
export type ComplaintSettings = z.output<typeof complaintSettingsSchema>;
export type ComplaintClass = ComplaintSettings['classes'][number];

/** Finds a class by id or alias, ignoring case; throws a ComplaintError listing the valid names. */
export function findComplaintClass(settings: ComplaintSettings, name: string): ComplaintClass {
  const wanted = name.trim().toLowerCase();
  const found = settings.classes.find(
    (entry) => entry.id === wanted || entry.aliases.some((alias) => alias.toLowerCase() === wanted),
  );
  if (found) return found;
  const names = settings.classes.flatMap((entry) => [entry.id, ...entry.aliases]);
  throw new ComplaintError('unknown-class', `Unknown complaint class "${name}"; use one of: ${names.join(', ')}`);
}
