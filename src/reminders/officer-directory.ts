import type { Complaint } from '../complaints/complaint.js';

/** An officer as the reminders need one. */
export interface DirectoryOfficer {
  id: string;
  name: string;
  roles: readonly string[];
  field?: string;
}

/** An address a message can be queued to. */
export interface Recipient {
  channel: string;
  userId: string;
}

/**
 * What the reminders and alerts read from the officer roster: who holds a role at a time
 * (absences already resolved to the backup), where an officer receives messages, and who may
 * see a confidential complaint's citizen.
 */
export interface OfficerDirectory {
  find(id: string): DirectoryOfficer | undefined;
  officersWithRole(role: string, at: Date, options?: { field?: string }): DirectoryOfficer[];
  /** The officer who acts for `officer` at `at`: the backup during an absence, otherwise the officer. */
  actingFor(officer: DirectoryOfficer, at: Date): DirectoryOfficer;
  addressesOf(officer: DirectoryOfficer): Recipient[];
  canSeeIdentity(officer: DirectoryOfficer, complaint: Complaint): boolean;
}
