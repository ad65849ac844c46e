/**
 * The complaint (pengaduan) aggregate: what a citizen filed, its status, deadline and
 * append-only history.
 */

/** Statuses in lifecycle order; `ditolak` and `dialihkan` are exits. */
export const complaintStatuses = ['diterima', 'diverifikasi', 'diproses', 'dijawab', 'selesai', 'ditolak', 'dialihkan'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

/** The subject of a complaint, as chosen in the first step of the filing dialogue. */
export type ComplaintTopic =
  /** One of the office's services, by its number in the decree. */
  | { kind: 'service'; serviceNumber: number }
  /** Anything else about the office. */
  | { kind: 'general' }
  /** A payment was asked for; every service costs Rp 0, so this goes to the gratification control officer. */
  | { kind: 'payment' };

/** A stored evidence file (photo or PDF) attached to a complaint. */
export interface EvidenceRef {
  mediaId: string;
  mimeType: string;
  /** Size in bytes. */
  size: number;
  fileName?: string;
}

/** Visibility of the citizen's name and address to officers. */
export type Identity =
  /** The complaint team sees the citizen's name. */
  | 'named'
  /** Only the complaint manager role sees who filed it (SP4N-LAPOR! "rahasia" practice). */
  | 'confidential';

/**
 * Channel of a complaint filed for a citizen who gave no WhatsApp number: no message is
 * queued for it, and the officer tells the citizen of changes.
 */
export const offlineChannel = 'offline';

/** The way a complaint reached the office. */
export type ComplaintSource = 'chat' | 'walk-in' | 'phone' | 'letter';

/** One change of a complaint, never edited after it is written. */
export interface HistoryEntry {
  at: Date;
  /** `citizen`, `system`, or the officer's id. */
  actor: string;
  from: ComplaintStatus | null;
  to: ComplaintStatus;
  note?: string;
}

/** A complaint as stored. */
export interface Complaint {
  /** Ticket number, ADU-YYYY-NNNNN. */
  ticket: string;
  year: number;
  sequence: number;
  status: ComplaintStatus;
  topic: ComplaintTopic;
  description: string;
  evidence: EvidenceRef[];
  identity: Identity;
  citizenName?: string;
  /** The citizen's channel and id there, to send status changes back; `offlineChannel` when there is none. */
  channel: string;
  userId: string;
  /** Salted SHA-256 of the 4-digit PIN (see hashPin); the PIN itself is never stored. */
  pinHash: string;
  source: ComplaintSource;
  receivedAt: Date;
  /** Complaint class id from the office's complaint settings; undefined until an officer classifies it. */
  classId?: string;
  /** Current deadline: of the class, or of `ringan` (the time to classify) while unclassified. */
  dueAt: Date;
  assignee?: string;
  /** The answer sent to the citizen, once there is one. */
  answer?: string;
  /** Agency the complaint was forwarded to (status `dialihkan`). */
  forwardedTo?: string;
  /** Reason given when the complaint was rejected (status `ditolak`). */
  rejectionReason?: string;
  history: HistoryEntry[];
  /** Incremented by every change; used for optimistic concurrency. */
  revision: number;
  updatedAt: Date;
}

/**
 * The fields a new complaint is filed with. The store adds the status, the history and the
 * ticket number, which is the next sequence number of `year` (the year of receipt in the
 * office's zone).
 */
export type NewComplaint = Omit<Complaint, 'ticket' | 'sequence' | 'status' | 'history' | 'revision' | 'updatedAt'>;
