import type { ComplaintTopic, EvidenceRef, Identity } from '../complaints/complaint.js';

/** A complaint being written in the filing dialogue; kept in the conversation snapshot. */
export interface ComplaintDraft {
  topic?: ComplaintTopic;
  description?: string;
  evidence: EvidenceRef[];
  /** True once the citizen finished or skipped the evidence step. */
  evidenceDone: boolean;
  identity?: Identity;
  citizenName?: string;
}

/** A draft with every step done, ready to file. */
export type CompleteDraft = Required<Pick<ComplaintDraft, 'topic' | 'description' | 'identity'>> &
  Pick<ComplaintDraft, 'evidence' | 'citizenName'>;

/** Returns an empty draft. */
export function emptyDraft(): ComplaintDraft {
  return { evidence: [], evidenceDone: false };
}

/** The first step of the filing dialogue that the draft has not done yet. */
export type DraftStep = 'topic' | 'description' | 'evidence' | 'identity' | 'name' | 'review';

/** Returns where the filing dialogue continues for this draft. */
export function nextDraftStep(draft: ComplaintDraft): DraftStep {
  if (!draft.topic) return 'topic';
  if (!draft.description) return 'description';
  if (!draft.evidenceDone) return 'evidence';
  if (!draft.identity) return 'identity';
  if (draft.identity === 'named' && !draft.citizenName) return 'name';
  return 'review';
}

/** Returns whether the citizen has written anything worth keeping. */
export function hasDraftContent(draft: ComplaintDraft | undefined): draft is ComplaintDraft {
  return draft !== undefined && (draft.topic !== undefined || draft.description !== undefined || draft.evidence.length > 0);
}

/** Returns the draft as a complete one, or undefined when a step is missing. */
export function toCompleteDraft(draft: ComplaintDraft): CompleteDraft | undefined {
  if (nextDraftStep(draft) !== 'review') return undefined;
  return {
    topic: draft.topic!,
    description: draft.description!,
    identity: draft.identity!,
    evidence: draft.evidence,
    ...(draft.identity === 'named' && draft.citizenName ? { citizenName: draft.citizenName } : {}),
  };
}

/** What a citizen sees of one complaint when checking its status; computed by the service. */
export interface ComplaintSummary {
  ticket: string;
  topicLabel: string;
  statusLabel: string;
  /** Class label, or undefined while not yet classified. */
  classLabel?: string;
  /** Deadline as "Senin, 7 Desember 2026 pukul 10.30 WIB". */
  dueText: string;
  /** Time of the last change, in the same format. */
  updatedText: string;
  answer?: string;
  /** Reason or agency for `ditolak` and `dialihkan`. */
  closingNote?: string;
}
