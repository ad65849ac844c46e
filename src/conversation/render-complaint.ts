import type { Catalog } from '../catalog/load.js';
import { fillText } from '../catalog/texts-schema.js';
import type { ComplaintTopic } from '../complaints/complaint.js';
import type { ComplaintSettings } from '../complaints/complaint-settings.js';
import type { ComplaintDraft, ComplaintSummary } from './complaint-draft.js';
import type { MediaRejection } from './events.js';
import { serviceByNumber } from './render.js';
import type { Reply } from './reply.js';

/** Replies of the complaint filing and status dialogues. Pure functions of content and state. */

/** Topic menu entries after the services: 9 general, 10 a payment asked for. */
export const generalTopicNumber = 9;
export const paymentTopicNumber = 10;

/** Returns the first question of the filing dialogue: the topic menu. */
export function renderTopicMenu(catalog: Catalog): Reply {
  return {
    text: catalog.texts.complaintTopicPrompt,
    options: [
      ...catalog.services.map((service) => ({ key: String(service.number), label: service.name })),
      { key: String(generalTopicNumber), label: catalog.texts.complaintTopicGeneral },
      { key: String(paymentTopicNumber), label: catalog.texts.complaintTopicPayment },
    ],
  };
}

/** Returns the topic for a number of the topic menu, or undefined outside it. */
export function toTopic(catalog: Catalog, number: number): ComplaintTopic | undefined {
  if (number >= 1 && number <= catalog.services.length) return { kind: 'service', serviceNumber: number };
  if (number === generalTopicNumber) return { kind: 'general' };
  if (number === paymentTopicNumber) return { kind: 'payment' };
  return undefined;
}

/** Returns the label of a topic, as shown in summaries and to officers. */
export function topicLabel(catalog: Catalog, topic: ComplaintTopic): string {
  switch (topic.kind) {
    case 'service':
      return serviceByNumber(catalog, topic.serviceNumber).name;
    case 'general':
      return catalog.texts.complaintTopicGeneral;
    case 'payment':
      return catalog.texts.complaintTopicPayment;
  }
}

/** Formats a size in bytes for citizens, such as "10 MB" or "350 KB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatDecimal(bytes / (1024 * 1024))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function formatDecimal(value: number): string {
  return new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(value);
}

/** Returns the request for evidence, with the limits. */
export function renderEvidencePrompt(catalog: Catalog, settings: ComplaintSettings): Reply {
  return {
    text: fillText(catalog.texts.complaintEvidencePrompt, {
      maxFiles: settings.limits.evidenceMaxFiles,
      maxSize: formatSize(settings.limits.evidenceMaxBytes),
    }),
  };
}

/** Returns one reply per rejected file with the reason. */
export function renderRejections(catalog: Catalog, settings: ComplaintSettings, rejected: MediaRejection[]): Reply[] {
  return rejected.map((rejection) => {
    const fileName = rejection.fileName ?? 'tersebut';
    const template = {
      'too-large': catalog.texts.complaintEvidenceTooLarge,
      'unsupported-type': catalog.texts.complaintEvidenceUnsupported,
      empty: catalog.texts.complaintEvidenceEmpty,
    }[rejection.reason];
    return {
      text: fillText(template, {
        fileName,
        size: formatSize(rejection.size ?? 0),
        maxSize: formatSize(settings.limits.evidenceMaxBytes),
      }),
    };
  });
}

/** Returns the identity question with its two choices. */
export function renderIdentityMenu(catalog: Catalog): Reply {
  return {
    text: catalog.texts.complaintIdentityPrompt,
    options: [
      { key: '1', label: catalog.texts.complaintIdentityNamed },
      { key: '2', label: catalog.texts.complaintIdentityConfidential },
    ],
  };
}

/** Returns the summary shown before sending, with Kirim, Ubah and Batal. */
export function renderDraftSummary(catalog: Catalog, draft: ComplaintDraft): Reply {
  const { texts } = catalog;
  const evidence =
    draft.evidence.length === 0
      ? texts.complaintSummaryNoEvidence
      : `${draft.evidence.length} berkas (${draft.evidence.map((item) => item.fileName ?? item.mimeType).join(', ')})`;
  const identity = draft.identity === 'confidential' ? texts.complaintSummaryConfidential : (draft.citizenName ?? '');
  return {
    text: fillText(texts.complaintSummary, {
      topic: draft.topic ? topicLabel(catalog, draft.topic) : '',
      description: draft.description ?? '',
      evidence,
      identity,
    }),
    options: [
      { key: '1', label: texts.complaintSubmit },
      { key: '2', label: texts.complaintEdit },
      { key: '3', label: texts.complaintDiscard },
    ],
  };
}

/** Returns the menu of draft parts that can be changed. */
export function renderEditMenu(catalog: Catalog): Reply {
  const { texts } = catalog;
  return {
    text: texts.complaintEditPrompt,
    options: [
      { key: '1', label: texts.complaintEditTopic },
      { key: '2', label: texts.complaintEditDescription },
      { key: '3', label: texts.complaintEditEvidence },
      { key: '4', label: texts.complaintEditIdentity },
    ],
  };
}

/** Returns the confirmation asked before a draft is discarded. */
export function renderCancelConfirm(catalog: Catalog): Reply {
  return {
    text: catalog.texts.complaintCancelConfirm,
    options: [
      { key: '1', label: catalog.texts.complaintCancelYes },
      { key: '2', label: catalog.texts.complaintCancelNo },
    ],
  };
}

/** Returns the offer to continue a saved draft or start again. */
export function renderResumeOffer(catalog: Catalog): Reply {
  return {
    text: catalog.texts.complaintDraftResume,
    options: [
      { key: '1', label: catalog.texts.complaintDraftContinue },
      { key: '2', label: catalog.texts.complaintDraftRestart },
    ],
  };
}

/** Returns the citizen's own complaints as a menu. */
export function renderOwnComplaints(catalog: Catalog, complaints: ComplaintSummary[]): Reply {
  return {
    text: catalog.texts.statusChooseComplaint,
    options: complaints.map((summary, index) => ({
      key: String(index + 1),
      label: `${summary.ticket} — ${summary.statusLabel}`,
    })),
  };
}

/** Returns the status of one complaint, with the answer or closing note when there is one. */
export function renderStatus(catalog: Catalog, summary: ComplaintSummary): Reply {
  const { texts } = catalog;
  const parts = [
    fillText(texts.statusDetail, {
      ticket: summary.ticket,
      topic: summary.topicLabel,
      status: summary.statusLabel,
      classLabel: summary.classLabel ?? texts.statusUnclassified,
      dueText: summary.dueText,
      updatedText: summary.updatedText,
    }),
  ];
  if (summary.answer) parts.push(fillText(texts.statusAnswer, { answer: summary.answer }));
  if (summary.closingNote) parts.push(fillText(texts.statusClosingNote, { note: summary.closingNote }));
  return { text: parts.join('\n\n') };
}
