import type { WorkingCalendar } from '../calendar/index.js';
import type { Catalog } from '../catalog/load.js';
import { fillText } from '../catalog/texts-schema.js';
import { offlineChannel, type Complaint } from '../complaints/complaint.js';
import type { ComplaintSettings } from '../complaints/complaint-settings.js';
import { topicLabel } from '../conversation/render-complaint.js';
import type { OutboundMessage } from '../store/store.js';
import type { RosterEvent } from '../officers/roster-schema.js';
import type { Group, Officer, Roster } from '../officers/roster.js';
import type { Audience } from './reminder-plan.js';
import type { OfficerMessage, ReminderSettings } from './reminder-settings.js';

type Outbound = Omit<OutboundMessage, 'id'>;

/**
 * Writes the messages officers receive about complaints and resolves who receives them.
 * Each officer gets the text at every address the roster lists; the citizen's identity is
 * filled in per reader, so a confidential complaint's name and number reach only the roles
 * allowed to see them.
 */
export class OfficerNotices {
  readonly settings: ReminderSettings;

  constructor(
    private readonly deps: { catalog: Catalog; complaintSettings: ComplaintSettings; calendar: WorkingCalendar; directory: Roster },
  ) {
    this.settings = deps.complaintSettings.reminders;
  }

  /** Returns the officers of an audience at `at`, without repeats. */
  audience(complaint: Complaint, audience: Audience, at: Date): Officer[] {
    const { directory } = this.deps;
    if (audience.kind === 'handler') {
      const assignee = complaint.assignee ? directory.find(complaint.assignee) : undefined;
      return assignee ? [directory.actingFor(assignee, at)] : directory.officersWithRole('pengelola_pengaduan', at);
    }
    if (audience.role === 'atasan') {
      const assignee = complaint.assignee ? directory.find(complaint.assignee) : undefined;
      const superiors = assignee?.field ? directory.officersWithRole('atasan', at, { field: assignee.field }) : [];
      return superiors.length > 0 ? superiors : directory.officersWithRole('atasan', at);
    }
    return directory.officersWithRole(audience.role, at);
  }

  /** Officers pinged when a complaint arrives: pengelola_pengaduan, plus pengendali_gratifikasi for a payment. */
  arrivalAudience(complaint: Complaint, at: Date): Officer[] {
    const { directory } = this.deps;
    const officers = directory.officersWithRole('pengelola_pengaduan', at);
    if (complaint.topic.kind === 'payment') officers.push(...directory.officersWithRole('pengendali_gratifikasi', at));
    return unique(officers);
  }

  /**
   * Builds the messages of one ping for the group chats subscribed to `event`. Several people
   * read a group, so a confidential complaint's citizen is shown there as confidential.
   */
  toGroups(event: RosterEvent, complaint: Complaint | undefined, now: Date, text: (reader: Officer) => string): Outbound[] {
    return this.deps.directory.groupsFor(event).flatMap((group) => {
      const reader: Officer = { id: group.id, name: group.name, roles: [], addresses: {}, absences: [] };
      return this.toAddresses(group, text(reader), complaint, now);
    });
  }

  /** Builds one message per address of each officer, with the text written for that officer. */
  toOutbound(officers: Officer[], complaint: Complaint | undefined, now: Date, text: (officer: Officer) => string): Outbound[] {
    return unique(officers).flatMap((officer) => this.toAddresses(officer, text(officer), complaint, now));
  }

  /** Builds one message with `text` per address of an officer or a group. */
  private toAddresses(recipient: Officer | Group, text: string, complaint: Complaint | undefined, now: Date): Outbound[] {
    return this.deps.directory.addressesOf(recipient).map((address) => ({
      channel: address.channel,
      userId: address.userId,
      text,
      ...(complaint ? { ticket: complaint.ticket } : {}),
      createdAt: now,
    }));
  }

  newComplaint(complaint: Complaint, reader: Officer): string {
    const { catalog, calendar } = this.deps;
    return this.fill('newComplaint', {
      ticket: complaint.ticket,
      topic: topicLabel(catalog, complaint.topic),
      citizen: this.citizen(complaint, reader),
      source: this.source(complaint),
      deadline: calendar.formatDeadline(complaint.dueAt),
      description: complaint.description,
    });
  }

  reminder(complaint: Complaint, percent: number): string {
    return this.fill('reminder', { ...this.common(complaint), percent: String(percent) });
  }

  deadlineReached(complaint: Complaint): string {
    return this.fill('deadlineReached', this.common(complaint));
  }

  escalation(complaint: Complaint, afterWorkingDays: number): string {
    const { labels } = this.settings;
    const overdue = afterWorkingDays === 0 ? labels.justOverdue : labels.overdueDays.replaceAll('{days}', String(afterWorkingDays));
    return this.fill('escalation', { ...this.common(complaint), overdue });
  }

  /** Writes the morning list of an officer's open complaints, soonest deadline first, with calendar warnings. */
  digest(date: string, complaints: Complaint[], now: Date, warnings: string[]): string {
    const { calendar } = this.deps;
    const lines =
      complaints.length === 0
        ? [this.fill('digestEmpty', { date })]
        : [
            this.fill('digestHeader', { date, count: String(complaints.length) }),
            ...complaints.map((complaint) =>
              this.fill('digestLine', {
                ticket: complaint.ticket,
                status: this.statusLabel(complaint),
                deadline: calendar.formatDeadline(complaint.dueAt),
                overdue: complaint.dueAt <= now ? this.settings.labels.overdueMark : '',
              }),
            ),
          ];
    for (const warning of warnings) lines.push('', this.fill('calendarWarning', { warning }));
    return lines.join('\n');
  }

  /** Fills a template of the officer messages; every placeholder was checked when the settings loaded. */
  fill(name: OfficerMessage, values: Record<string, string>): string {
    return this.settings.messages[name].replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  }

  private common(complaint: Complaint): Record<string, string> {
    const assignee = complaint.assignee ? this.deps.directory.find(complaint.assignee) : undefined;
    return {
      ticket: complaint.ticket,
      status: this.statusLabel(complaint),
      deadline: this.deps.calendar.formatDeadline(complaint.dueAt),
      assignee: assignee?.name ?? complaint.assignee ?? this.settings.labels.unassigned,
    };
  }

  private statusLabel(complaint: Complaint): string {
    return this.deps.complaintSettings.statusLabels[complaint.status];
  }

  /** Returns the citizen as this reader may see them (name and channel address, or the confidential note), worded as `lihat` does. */
  private citizen(complaint: Complaint, reader: Officer): string {
    const { texts } = this.deps.catalog;
    if (!this.deps.directory.canSeeIdentity(reader, complaint)) return texts.officerCitizenHidden;
    const name = complaint.citizenName ?? texts.officerCitizenUnnamed;
    return complaint.channel === offlineChannel ? name : `${name} (${complaint.channel} ${complaint.userId})`;
  }

  /** Returns how the complaint reached the office, worded as `lihat` does. */
  private source(complaint: Complaint): string {
    const { texts } = this.deps.catalog;
    switch (complaint.source) {
      case 'chat':
        return fillText(texts.officerSourceChat, { channel: complaint.channel });
      case 'walk-in':
        return texts.officerSourceWalkIn;
      case 'phone':
        return texts.officerSourcePhone;
      case 'letter':
        return texts.officerSourceLetter;
    }
  }
}

function unique(officers: Officer[]): Officer[] {
  const seen = new Set<string>();
  return officers.filter((officer) => !seen.has(officer.id) && seen.add(officer.id));
}
