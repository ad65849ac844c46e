import { z } from 'zod';
import { templatesSchema } from '../text/template-schema.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const ruleId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case such as batas-waktu');

/** Roles that an escalation can reach; the officers of each role are in officers.yaml. */
export const escalationRoles = ['atasan', 'sekretaris', 'kepala_dinas'] as const;

/**
 * The `{placeholder}` names each officer message may use. `{citizen}` is the citizen's name
 * and number, or a note that the complaint is confidential, depending on who reads it.
 */
export const officerMessagePlaceholders = {
  newComplaint: ['ticket', 'topic', 'citizen', 'description', 'deadline', 'source'],
  reminder: ['ticket', 'status', 'deadline', 'percent', 'assignee'],
  deadlineReached: ['ticket', 'status', 'deadline', 'assignee'],
  escalation: ['ticket', 'status', 'deadline', 'assignee', 'overdue'],
  digestHeader: ['date', 'count'],
  digestLine: ['ticket', 'status', 'deadline', 'overdue'],
  digestEmpty: ['date'],
  calendarWarning: ['warning'],
  deliveryFailed: ['ticket', 'channel', 'error'],
  longWait: ['channel', 'minutes'],
  channelProblem: ['channel', 'problem'],
} as const satisfies Record<string, readonly string[]>;

export type OfficerMessage = keyof typeof officerMessagePlaceholders;

/**
 * Zod schema for the `reminders` part of complaints.yaml: when officers are reminded of an
 * open complaint's deadline, whom an overdue complaint escalates to, when an answered
 * complaint closes by itself, and the texts officers read.
 */
export const reminderSettingsSchema = z
  .strictObject({
    /** Points before the deadline, as a share of the working time allowed (1 is the deadline itself). */
    beforeDeadline: z
      .array(z.strictObject({ id: ruleId, fraction: z.number().gt(0).max(1) }))
      .min(1),
    /** Escalations of an overdue complaint, in working days after the deadline (0 is at the deadline). */
    escalation: z.array(z.strictObject({ id: ruleId, afterWorkingDays: z.number().int().min(0), to: z.enum(escalationRoles) })),
    /** Working days after the answer without a reply from the citizen before the complaint becomes selesai. */
    autoCloseAfterWorkingDays: z.number().int().min(1),
    messages: templatesSchema(officerMessagePlaceholders),
    /** Words filled into the messages. */
    labels: z.strictObject({
      unassigned: nonEmpty,
      justOverdue: nonEmpty,
      overdueDays: nonEmpty.refine((text) => text.includes('{days}'), 'must contain {days}'),
      overdueMark: z.string(),
      /** Meaning of a channel alert by its kind, with `other` for the rest. */
      channelProblems: z.record(z.string(), nonEmpty).refine((problems) => 'other' in problems, 'must have an entry "other"'),
    }),
  })
  .superRefine((settings, context) => {
    const ids = [...settings.beforeDeadline, ...settings.escalation].map((rule) => rule.id);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length > 0) {
      context.addIssue({ code: 'custom', path: [], message: `rule ids must be unique; repeated: ${[...new Set(repeated)].join(', ')}` });
    }
  });

export type ReminderSettings = z.output<typeof reminderSettingsSchema>;
export type EscalationRole = (typeof escalationRoles)[number];
