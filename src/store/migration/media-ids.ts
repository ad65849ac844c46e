import type { EvidenceRef } from '../../complaints/complaint.js';

/**
 * Rewriting of evidence references when media ids change between stores (SQLite UUIDs
 * become GridFS ObjectIds). Evidence is referenced in two places: a complaint's `evidence`
 * and the draft in a conversation snapshot (`context.draft.evidence`).
 */

/** Old-to-new media ids, and the old ids that had no mapping because the source has no such file. */
export interface MediaIdRewriter {
  mapping: ReadonlyMap<string, string>;
  /** Media ids referenced by evidence but missing from the source's files; they are kept unchanged. */
  unmapped: Set<string>;
}

/** Returns the evidence list with each media id replaced by its new id. */
export function rewriteEvidence(evidence: readonly EvidenceRef[], rewriter: MediaIdRewriter): EvidenceRef[] {
  return evidence.map((item) => {
    const mediaId = rewriter.mapping.get(item.mediaId);
    if (mediaId === undefined) {
      rewriter.unmapped.add(item.mediaId);
      return item;
    }
    return { ...item, mediaId };
  });
}

/**
 * Returns the persisted XState snapshot with the media ids of its complaint draft replaced.
 * A snapshot without a draft, or of an unexpected shape, is returned unchanged: the bot
 * itself discards snapshots that no longer fit its machine.
 */
export function rewriteSnapshotEvidence(snapshot: unknown, rewriter: MediaIdRewriter): unknown {
  if (!isRecord(snapshot) || !isRecord(snapshot.context)) return snapshot;
  const draft = snapshot.context.draft;
  if (!isRecord(draft) || !Array.isArray(draft.evidence)) return snapshot;

  const evidence = draft.evidence.map((item: unknown) => {
    if (!isRecord(item) || typeof item.mediaId !== 'string') return item;
    return rewriteEvidence([item as unknown as EvidenceRef], rewriter)[0];
  });
  return { ...snapshot, context: { ...snapshot.context, draft: { ...draft, evidence } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
