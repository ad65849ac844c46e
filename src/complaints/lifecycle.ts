import type { ComplaintStatus } from './complaint.js';
import { ComplaintError } from './errors.js';

/**
 * The allowed status changes: the single source of truth for the complaint lifecycle.
 * `diverifikasi` means an officer set the class and so the deadline; `dijawab` can go back
 * to `diproses` when the citizen says the answer did not settle the matter.
 */
export const allowedTransitions: Readonly<Record<ComplaintStatus, readonly ComplaintStatus[]>> = {
  diterima: ['diverifikasi', 'ditolak', 'dialihkan'],
  diverifikasi: ['diproses', 'ditolak', 'dialihkan'],
  diproses: ['dijawab', 'ditolak', 'dialihkan'],
  dijawab: ['selesai', 'diproses'],
  selesai: [],
  ditolak: [],
  dialihkan: [],
};

/** Statuses after which nothing more happens to a complaint. */
export const finalStatuses: readonly ComplaintStatus[] = ['selesai', 'ditolak', 'dialihkan'];

/** Returns whether a complaint may move from `from` to `to`. */
export function canTransition(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** Throws a ComplaintError naming both statuses and the allowed ones when the change is not allowed. */
export function assertTransition(ticket: string, from: ComplaintStatus, to: ComplaintStatus): void {
  if (canTransition(from, to)) return;
  const allowed = allowedTransitions[from];
  const hint = allowed.length > 0 ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is final`;
  throw new ComplaintError('transition-not-allowed', `Complaint ${ticket} cannot change from ${from} to ${to} (${hint})`, ticket);
}
