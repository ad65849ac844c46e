import { DateTime } from 'luxon';
import type { Complaint } from '../complaints/complaint.js';
import type { GroupData, OfficerData, OfficerRole, RosterData, RosterEvent } from './roster-schema.js';

/** An officer as listed in officers.yaml. */
export type Officer = OfficerData;
/** An officers' group chat as listed in officers.yaml. */
export type Group = GroupData;

/** One place a ping can be sent: a channel and the recipient's id there. */
export interface Address {
  channel: string;
  userId: string;
}

/**
 * The office's officers and group chats, with the questions the bot asks about them: who
 * sent a message, who holds a role today (absent officers replaced by their Plt.), where to
 * send a ping, and who may see a confidential complaint's citizen.
 */
export class Roster {
  private readonly byId: ReadonlyMap<string, Officer>;
  private readonly byAddress: ReadonlyMap<string, Officer>;

  /** `timeZone` is the office's zone, in which absence dates are read. */
  constructor(
    private readonly data: RosterData,
    private readonly options: { timeZone: string },
  ) {
    this.byId = new Map(data.officers.map((officer) => [officer.id, officer]));
    this.byAddress = new Map(
      data.officers.flatMap((officer) => this.addressesOf(officer).map((address) => [addressKey(address), officer] as const)),
    );
  }

  /** Builds the roster of a loaded catalog. */
  static fromCatalog(catalog: { officers: RosterData; office: { timeZone: string } }): Roster {
    return new Roster(catalog.officers, { timeZone: catalog.office.timeZone });
  }

  get officers(): readonly Officer[] {
    return this.data.officers;
  }

  get groups(): readonly Group[] {
    return this.data.groups;
  }

  find(id: string): Officer | undefined {
    return this.byId.get(id.trim().toLowerCase());
  }

  /**
   * Returns the officer who has `userId` as an address on `channel`. WhatsApp ids are
   * compared as digits, so `+62 812-…` and `62812…@s.whatsapp.net` match `62812…`.
   */
  findByAddress(channel: string, userId: string): Officer | undefined {
    return this.byAddress.get(addressKey({ channel, userId }));
  }

  hasRole(officer: Officer, role: OfficerRole): boolean {
    return officer.roles.includes(role);
  }

  /** Returns whether one of the officer's absences covers the office-zone date of `at`. */
  isAbsent(officer: Officer, at: Date): boolean {
    return this.absenceAt(officer, at) !== undefined;
  }

  /**
   * Returns who acts for `officer` at `at`: the officer, or while absent the backup (Plt.),
   * following the chain when the backup is absent too. A chain that comes back to an absent
   * officer ends at the officer, so a ping always has a recipient.
   */
  actingFor(officer: Officer, at: Date): Officer {
    const seen = new Set<string>([officer.id]);
    let current = officer;
    for (;;) {
      const absence = this.absenceAt(current, at);
      const backup = absence ? this.byId.get(absence.backup) : undefined;
      if (!backup) return current;
      if (seen.has(backup.id)) return officer;
      seen.add(backup.id);
      current = backup;
    }
  }

  /**
   * Returns the officers who hold `role` at `at`, each absent one replaced by whoever acts
   * for them, without duplicates, in roster order. With `field`, only officers of that field
   * count (an atasan's `fields` or the officer's `field`); an empty result means nobody is
   * listed for it.
   */
  officersWithRole(role: OfficerRole, at: Date, options: { field?: string } = {}): Officer[] {
    const { field } = options;
    const holders = this.data.officers.filter(
      (officer) => officer.roles.includes(role) && (field === undefined || officerCoversField(officer, field)),
    );
    const result = new Map<string, Officer>();
    for (const holder of holders) {
      const acting = this.actingFor(holder, at);
      result.set(acting.id, acting);
    }
    return [...result.values()];
  }

  /** Returns every address listed for an officer or group; a ping goes to all of them. */
  addressesOf(recipient: Officer | Group): Address[] {
    return Object.entries(recipient.addresses)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([channel, userId]) => ({ channel, userId }));
  }

  /** Returns the group chats that subscribed to `event`. */
  groupsFor(event: RosterEvent): Group[] {
    return this.data.groups.filter((group) => group.events.includes(event));
  }

  /**
   * Returns whether the officer may see who filed the complaint (name and number). A
   * confidential complaint's citizen is shown only to the complaint manager
   * (pengelola_pengaduan), as the citizen was told when filing.
   */
  canSeeIdentity(officer: Officer, complaint: Pick<Complaint, 'identity'>): boolean {
    return complaint.identity === 'named' || officer.roles.includes('pengelola_pengaduan');
  }

  private absenceAt(officer: Officer, at: Date) {
    const date = DateTime.fromJSDate(at, { zone: this.options.timeZone }).toISODate()!;
    return officer.absences.find((absence) => absence.from <= date && date <= absence.until);
  }
}

function officerCoversField(officer: Officer, field: string): boolean {
  return officer.field === field || (officer.fields?.includes(field) ?? false);
}

/** Returns the lookup key of an address; WhatsApp ids are reduced to the phone number's digits. */
function addressKey(address: Address): string {
  const userId = address.channel === 'whatsapp' ? toWhatsappDigits(address.userId) : address.userId.trim();
  return `${address.channel}:${userId}`;
}

/** Reduces `+62 812-3456`, `62812…@s.whatsapp.net` or `62812…:3@s.whatsapp.net` to `62812…`. */
function toWhatsappDigits(userId: string): string {
  const local = userId.split('@')[0]!.split(':')[0]!;
  return local.replace(/[^\d]/g, '');
}
