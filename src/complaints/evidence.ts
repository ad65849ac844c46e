import { fileTypeFromBuffer } from 'file-type';
import type { MediaRejection } from '../conversation/events.js';
import type { InboundMedia } from '../pipeline/inbound-message.js';
import type { ComplaintSettings } from './complaint-settings.js';

/** A file that passed the evidence checks, with its type as read from its bytes. */
export interface CheckedEvidence {
  bytes: Buffer;
  mimeType: string;
  size: number;
  fileName?: string;
}

/**
 * Checks evidence files against the office's limits. The type is read from the file's
 * content (magic numbers, via file-type), never from its name or the type the sender
 * claims, so an executable renamed `.pdf` is rejected.
 */
export async function checkEvidence(
  media: readonly InboundMedia[],
  limits: ComplaintSettings['limits'],
): Promise<{ accepted: CheckedEvidence[]; rejected: MediaRejection[] }> {
  const accepted: CheckedEvidence[] = [];
  const rejected: MediaRejection[] = [];
  for (const file of media) {
    const fileName = cleanFileName(file.fileName);
    const named = fileName === undefined ? {} : { fileName };
    if (file.bytes.length === 0) {
      rejected.push({ ...named, reason: 'empty' });
      continue;
    }
    if (file.bytes.length > limits.evidenceMaxBytes) {
      rejected.push({ ...named, reason: 'too-large', size: file.bytes.length });
      continue;
    }
    const detected = await fileTypeFromBuffer(file.bytes);
    if (!detected || !limits.evidenceMimeTypes.includes(detected.mime)) {
      rejected.push({ ...named, reason: 'unsupported-type' });
      continue;
    }
    accepted.push({ bytes: file.bytes, mimeType: detected.mime, size: file.bytes.length, ...named });
  }
  return { accepted, rejected };
}

/** Returns the base name without control characters, at most 120 characters, or undefined when nothing is left. */
function cleanFileName(name: string | undefined): string | undefined {
  const base = name
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, 120);
  return base ? base : undefined;
}
