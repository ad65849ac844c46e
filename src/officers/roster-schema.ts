import { z } from 'zod';
import { isoDateSchema } from '../calendar/holiday-schema.js';

/**
 * Roles an officer can hold. Each decides which pings the officer receives and which chat
 * commands the officer may use:
 * - `pengelola_pengaduan` (Pejabat Pengelola Pengaduan) receives and classifies complaints and
 *   is the only role that sees who filed a confidential complaint;
 * - `tim_pengelola` (Tim Pengelola Aduan) works on complaints and drafts answers;
 * - `atasan` (atasan langsung) is the first step of escalation, for the fields in `fields`;
 * - `sekretaris` and `kepala_dinas` are the next steps of escalation;
 * - `pengendali_gratifikasi` (Pejabat Pengendalian Gratifikasi) receives complaints about payments;
 * - `admin` receives alerts about the chat channels.
 */
export const officerRoles = [
  'pengelola_pengaduan',
  'tim_pengelola',
  'atasan',
  'sekretaris',
  'kepala_dinas',
  'pengendali_gratifikasi',
  'admin',
] as const;
export type OfficerRole = (typeof officerRoles)[number];

/**
 * Events that an officers' group chat can subscribe to in `groups[].events`. The bot sends
 * a group only the events it lists: `complaint-filed` (the arrival ping), `complaint-reopened`
 * (a citizen replied that an answer did not settle the matter), `deadline-reminder`
 * (reminders and the deadline), `escalation` and `channel-status` (admin alerts).
 * TODO: send `complaint-assigned` and `report` once assignment notices go to groups and the
 * monthly report exists.
 */
export const rosterEvents = [
  'complaint-filed',
  'complaint-assigned',
  'complaint-reopened',
  'deadline-reminder',
  'escalation',
  'channel-status',
  'report',
] as const;
export type RosterEvent = (typeof rosterEvents)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** YAML reads an unquoted number as a number; ids written either way become text. */
const digitsText = z.union([z.string(), z.number().int()]).transform(String);

const idSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a short lowercase id such as budi or rina-s');

const whatsappNumber = digitsText.pipe(
  z.string().regex(/^62\d{8,13}$/, 'must be the number in international form, digits only, such as 6281234567890'),
);
const telegramChatId = digitsText.pipe(z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id such as 123456789'));
const webUser = z.string().regex(/^[\p{L}\p{N}._:@+-]{1,128}$/u, 'must be a web simulator user id such as petugas-demo');
const whatsappGroup = z.string().regex(/^[\d-]+@g\.us$/, 'must be a WhatsApp group id such as 120363012345678901@g.us');

const officerAddressesSchema = z
  .strictObject({
    /** WhatsApp number, international form without `+`. */
    whatsapp: whatsappNumber.optional(),
    /** Telegram chat id of the officer's private chat with the bot. */
    telegram: telegramChatId.optional(),
    /** User id in the web simulator. */
    web: webUser.optional(),
  })
  .refine((addresses) => Object.values(addresses).some((value) => value !== undefined), {
    message: 'must list at least one of whatsapp, telegram, web',
  });

const absenceSchema = z.strictObject({
  /** First day of the absence, in the office's zone. */
  from: isoDateSchema,
  /** Last day of the absence, inclusive. */
  until: isoDateSchema,
  /** Id of the acting officer (Plt.) who receives this officer's pings meanwhile. */
  backup: idSchema,
});

const officerSchema = z.strictObject({
  /** Short id typed in chat commands, such as `tugaskan ADU-2026-00001 budi`. */
  id: idSchema,
  name: nonEmpty,
  /** Checked against officerRoles below, so that the error names the officer. */
  roles: z.array(nonEmpty).min(1, 'must list at least one role'),
  /** The officer's field (bidang). */
  field: nonEmpty.optional(),
  /** Fields an `atasan` supervises, when more than the officer's own `field`. */
  fields: z.array(nonEmpty).min(1).optional(),
  /** Every address listed here receives the officer's pings. */
  addresses: officerAddressesSchema,
  absences: z.array(absenceSchema).default([]),
});

const groupSchema = z.strictObject({
  id: idSchema,
  name: nonEmpty,
  addresses: z
    .strictObject({ telegram: telegramChatId.optional(), whatsapp: whatsappGroup.optional() })
    .refine((addresses) => Object.values(addresses).some((value) => value !== undefined), {
      message: 'must list at least one of telegram, whatsapp',
    }),
  /** Checked against rosterEvents below. */
  events: z.array(nonEmpty).min(1, 'must list at least one event'),
});

/**
 * Zod schema for `flows/<office>/officers.yaml`: the officers who handle complaints, with
 * their roles, addresses and absences, and the officers' group chats. The checks across
 * entries (roles, unique ids and addresses, backups that exist, absences in order) name the
 * officer, because an index alone is hard to find in a long file.
 */
export const rosterSchema = z
  .strictObject({
    officers: z.array(officerSchema).min(1, 'must list at least one officer'),
    groups: z.array(groupSchema).default([]),
  })
  .superRefine((roster, context) => {
    const issue = (path: Array<string | number>, message: string) => context.addIssue({ code: 'custom', path, message });
    checkOfficers(roster.officers, issue);
    checkGroups(roster.groups, issue);
  });
export type RosterData = z.output<typeof rosterSchema>;
export type OfficerData = RosterData['officers'][number];
export type GroupData = RosterData['groups'][number];

type IssueSink = (path: Array<string | number>, message: string) => void;

function checkOfficers(officers: OfficerData[], issue: IssueSink): void {
  const ids = new Map<string, number>();
  const addresses = new Map<string, string>();
  officers.forEach((officer, index) => {
    const at = (...rest: Array<string | number>) => ['officers', index, ...rest];
    const name = `officer ${officer.id}`;
    if (ids.has(officer.id)) issue(at('id'), `${name}: duplicate id, already used by officer number ${ids.get(officer.id)! + 1}`);
    ids.set(officer.id, index);

    officer.roles.forEach((role, roleIndex) => {
      if (!(officerRoles as readonly string[]).includes(role)) {
        issue(at('roles', roleIndex), `${name}: unknown role "${role}"; use one of ${officerRoles.join(', ')}`);
      }
    });
    if (officer.fields && !officer.roles.includes('atasan')) {
      issue(at('fields'), `${name}: fields lists the fields an atasan supervises; use field for the officer's own field`);
    }

    for (const [channel, value] of Object.entries(officer.addresses)) {
      if (value === undefined) continue;
      const key = `${channel}:${value}`;
      const owner = addresses.get(key);
      if (owner) issue(at('addresses', channel), `${name}: ${channel} address ${value} is also listed for officer ${owner}`);
      else addresses.set(key, officer.id);
    }
  });

  const known = new Set(officers.map((officer) => officer.id));
  officers.forEach((officer, index) => {
    officer.absences.forEach((absence, absenceIndex) => {
      const at = (field: string) => ['officers', index, 'absences', absenceIndex, field];
      const name = `officer ${officer.id}`;
      if (absence.until < absence.from) {
        issue(at('until'), `${name}: absence ends (until ${absence.until}) before it starts (from ${absence.from})`);
      }
      if (absence.backup === officer.id) issue(at('backup'), `${name}: an officer cannot be their own backup`);
      else if (!known.has(absence.backup)) issue(at('backup'), `${name}: backup "${absence.backup}" is not an officer in this file`);
    });
  });

  if (!officers.some((officer) => officer.roles.includes('pengelola_pengaduan'))) {
    issue(['officers'], 'no officer has the role pengelola_pengaduan, so new and reopened complaints would reach no one');
  }
}

function checkGroups(groups: GroupData[], issue: IssueSink): void {
  const ids = new Set<string>();
  groups.forEach((group, index) => {
    if (ids.has(group.id)) issue(['groups', index, 'id'], `group ${group.id}: duplicate id`);
    ids.add(group.id);
    group.events.forEach((event, eventIndex) => {
      if (!(rosterEvents as readonly string[]).includes(event)) {
        issue(['groups', index, 'events', eventIndex], `group ${group.id}: unknown event "${event}"; use one of ${rosterEvents.join(', ')}`);
      }
    });
  });
}

/**
 * Zod schema for `flows/<office>/answer-templates.yaml`: saved answers that officers send
 * with `jawab <tiket> #<name>`. A text may contain `{ticket}`, which becomes the ticket number.
 */
export const answerTemplatesSchema = z
  .strictObject({
    templates: z.array(
      z.strictObject({
        name: idSchema,
        text: nonEmpty.refine((text) => [...text.matchAll(/\{(\w+)\}/g)].every((match) => match[1] === 'ticket'), {
          message: 'may contain only the placeholder {ticket}',
        }),
      }),
    ),
  })
  .superRefine((file, context) => {
    const names = new Set<string>();
    file.templates.forEach((template, index) => {
      if (names.has(template.name)) {
        context.addIssue({ code: 'custom', path: ['templates', index, 'name'], message: `template ${template.name}: duplicate name` });
      }
      names.add(template.name);
    });
  });
export type AnswerTemplate = z.output<typeof answerTemplatesSchema>['templates'][number];
