import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { CompleteDraft } from '../conversation/complaint-draft.js';
import type { NewComplaint } from './complaint.js';
import { findComplaintClass, type ComplaintSettings } from './complaint-settings.js';

/** Returns a random 4-digit PIN, leading zeros allowed. */
export function generatePin(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}

/**
 * Returns the stored form of a PIN: `<salt>:<sha256 hex>`. Four digits are guessable
 * offline, so the rate limit on wrong PINs is what protects a ticket. The salted hash only
 * keeps PINs out of plain sight in the database and its backups.
 */
export function hashPin(pin: string, salt: string = randomBytes(8).toString('hex')): string {
  return `${salt}:${createHash('sha256').update(`${salt}:${pin}`).digest('hex')}`;
}

/** Returns whether `pin` matches a value made by `hashPin`, comparing in constant time. */
export function verifyPin(stored: string, pin: string): boolean {
  const [salt, digest] = stored.split(':');
  if (!salt || !digest) return false;
  const expected = Buffer.from(digest, 'hex');
  const actual = Buffer.from(hashPin(pin, salt).split(':')[1]!, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Builds the complaint to file from a finished draft. The deadline is that of the
 * unclassified class (ringan: the time to verify and classify), counted from receipt.
 */
export function prepareComplaint(input: {
  draft: CompleteDraft;
  channel: string;
  userId: string;
  receivedAt: Date;
  settings: ComplaintSettings;
  calendar: WorkingCalendar;
  pin: string;
}): NewComplaint {
  const { draft, settings, calendar, receivedAt } = input;
  const unclassified = findComplaintClass(settings, settings.unclassifiedClass);
  return {
    year: yearIn(receivedAt, calendar.timeZone),
    topic: draft.topic,
    description: draft.description,
    evidence: draft.evidence,
    identity: draft.identity,
    ...(draft.citizenName ? { citizenName: draft.citizenName } : {}),
    channel: input.channel,
    userId: input.userId,
    pinHash: hashPin(input.pin),
    source: 'chat',
    receivedAt,
    dueAt: calendar.computeDeadline(receivedAt, unclassified.deadline),
  };
}

/** Returns the calendar year of an instant in a time zone. */
export function yearIn(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone }).format(instant));
}
