import { fillText } from '../catalog/texts-schema.js';
import { toCommandWord } from '../text/normalize.js';
import { emptyDraft, hasDraftContent, nextDraftStep, toCompleteDraft, type ComplaintDraft } from './complaint-draft.js';
import type { ConversationEvent } from './events.js';
import { command, machineSetup, say, type ConversationContext, type MachineContent } from './machine-setup.js';
import { renderMainMenu } from './render.js';
import {
  paymentTopicNumber,
  renderCancelConfirm,
  renderDraftSummary,
  renderEditMenu,
  renderEvidencePrompt,
  renderIdentityMenu,
  renderRejections,
  renderResumeOffer,
  renderTopicMenu,
  toTopic,
} from './render-complaint.js';

/**
 * The filing dialogue. Every step that completes goes to `resuming`, which moves to the
 * first step the draft has not done and asks its question, so editing one part of a
 * finished draft comes back to the summary by itself.
 */

/** Words that end the evidence step. */
const evidenceDoneWords = new Set(['lewati', 'lanjut', 'selesai', 'tidak ada', 'tidak', 'skip', 'cukup', 'sudah']);

/** Shortest and longest citizen name accepted, in characters. */
const nameLength = { min: 2, max: 80 };

/** Builds the filing dialogue for one office. */
export function complaintStates(content: MachineContent) {
  const { catalog, complaints: settings } = content;
  const { texts } = catalog;
  const limits = settings.limits;

  const draftOf = (context: ConversationContext): ComplaintDraft => context.draft ?? emptyDraft();
  const updateDraft = (change: (draft: ComplaintDraft, event: ConversationEvent) => Partial<ComplaintDraft>) =>
    machineSetup.assign(({ context, event }) => ({ draft: { ...draftOf(context), ...change(draftOf(context), event) } }));
  const textOf = (event: ConversationEvent) => (event.type === 'TEXT' || event.type === 'MEDIA' ? event.text.trim() : '');
  const stepIs = (step: ReturnType<typeof nextDraftStep>) => ({ context }: { context: ConversationContext }) =>
    nextDraftStep(draftOf(context)) === step;
  /** Asks the service to delete the draft's stored files, when it has any. */
  const discardEvidence = () =>
    machineSetup.enqueueActions(({ context, enqueue }) => {
      const mediaIds = draftOf(context).evidence.map((item) => item.mediaId);
      if (mediaIds.length > 0) enqueue.emit({ type: 'command', command: { kind: 'discardMedia', mediaIds } });
    });
  const mainMenuKeepingDraft = () =>
    say(({ context }) => renderMainMenu(catalog, hasDraftContent(context.draft) ? texts.complaintDraftSaved : undefined));

  return machineSetup.createStateConfig({
    initial: 'entering',
    on: {
      // Words where the step offers numbered choices: show the step's question again.
      TEXT: { target: '.resuming', actions: say(() => ({ text: texts.complaintChooseOption })) },
      NUMBER: { target: '.resuming', actions: say(() => ({ text: texts.complaintChooseOption })) },
      CANCEL: [
        { guard: ({ context }) => hasDraftContent(context.draft), target: '.confirmingCancel', actions: say(() => renderCancelConfirm(catalog)) },
        {
          target: '#conversation.browsing.mainMenu',
          actions: [machineSetup.assign({ draft: undefined }), say(() => renderMainMenu(catalog, texts.cancelled))],
        },
      ],
    },
    states: {
      entering: {
        always: [
          { guard: ({ context }) => hasDraftContent(context.draft), target: 'resumeOffer', actions: say(() => renderResumeOffer(catalog)) },
          { target: 'resuming', actions: machineSetup.assign({ draft: () => emptyDraft() }) },
        ],
      },

      resumeOffer: {
        on: {
          NUMBER: [
            { guard: ({ event }) => event.value === 1, target: 'resuming' },
            {
              guard: ({ event }) => event.value === 2,
              target: 'resuming',
              actions: [discardEvidence(), machineSetup.assign({ draft: () => emptyDraft() })],
            },
            { actions: say(() => renderResumeOffer(catalog)) },
          ],
          BACK: { target: '#conversation.browsing.mainMenu', actions: say(() => renderMainMenu(catalog)) },
        },
      },

      resuming: {
        always: [
          { guard: stepIs('topic'), target: 'choosingTopic', actions: say(() => renderTopicMenu(catalog)) },
          { guard: stepIs('description'), target: 'describing', actions: say(({ context }) => descriptionPrompt(context)) },
          { guard: stepIs('evidence'), target: 'collectingEvidence', actions: say(() => renderEvidencePrompt(catalog, settings)) },
          { guard: stepIs('identity'), target: 'choosingIdentity', actions: say(() => renderIdentityMenu(catalog)) },
          { guard: stepIs('name'), target: 'askingName', actions: say(() => ({ text: texts.complaintNamePrompt })) },
          { target: 'reviewing', actions: say(({ context }) => renderDraftSummary(catalog, draftOf(context))) },
        ],
      },

      choosingTopic: {
        on: {
          NUMBER: [
            {
              guard: ({ event }) => toTopic(catalog, event.value) !== undefined,
              target: 'resuming',
              actions: updateDraft((_draft, event) => (event.type === 'NUMBER' ? { topic: toTopic(catalog, event.value)! } : {})),
            },
            { actions: say(({ event }) => [invalidTopic(event.type === 'NUMBER' ? event.value : 0), renderTopicMenu(catalog)]) },
          ],
          TEXT: [
            {
              // A service named in words picks that topic ("kantor kas").
              guard: ({ event }) => event.intent.kind === 'service',
              target: 'resuming',
              actions: updateDraft((_draft, event) =>
                event.type === 'TEXT' && event.intent.kind === 'service'
                  ? { topic: { kind: 'service', serviceNumber: event.intent.service } }
                  : {},
              ),
            },
            { actions: say(() => renderTopicMenu(catalog)) },
          ],
          BACK: { target: '#conversation.browsing.mainMenu', actions: mainMenuKeepingDraft() },
        },
      },

      describing: {
        on: {
          TEXT: [
            {
              guard: ({ event }) => characterCount(textOf(event)) < limits.descriptionMinCharacters,
              actions: say(() => ({ text: fillText(texts.complaintDescriptionTooShort, { min: limits.descriptionMinCharacters }) })),
            },
            {
              guard: ({ event }) => characterCount(textOf(event)) > limits.descriptionMaxCharacters,
              actions: say(() => ({ text: fillText(texts.complaintDescriptionTooLong, { max: formatCount(limits.descriptionMaxCharacters) }) })),
            },
            { target: 'resuming', actions: updateDraft((_draft, event) => ({ description: textOf(event) })) },
          ],
          NUMBER: { actions: say(() => ({ text: fillText(texts.complaintDescriptionTooShort, { min: limits.descriptionMinCharacters }) })) },
          TOO_LONG: {
            actions: say(() => ({ text: fillText(texts.complaintDescriptionTooLong, { max: formatCount(limits.descriptionMaxCharacters) }) })),
          },
          MEDIA: [
            {
              // A photo sent with its story as the caption: the caption is the description.
              guard: ({ event }) => isValidDescription(textOf(event)),
              target: 'resuming',
              actions: [updateDraft((_draft, event) => ({ description: textOf(event) })), addEvidence()],
            },
            { actions: say(() => ({ text: texts.complaintMediaBeforeDescription })) },
          ],
          BACK: {
            target: 'resuming',
            actions: updateDraft(() => ({ topic: undefined })),
          },
        },
      },

      collectingEvidence: {
        on: {
          MEDIA: [
            {
              guard: ({ event }) =>
                event.accepted.length === 0 && event.rejected.length === 0 && event.overflow === 0 && evidenceDoneWords.has(toCommandWord(event.text)),
              target: 'resuming',
              actions: updateDraft(() => ({ evidenceDone: true })),
            },
            { actions: addEvidence() },
          ],
          TEXT: [
            {
              guard: ({ event }) => evidenceDoneWords.has(toCommandWord(event.text)),
              target: 'resuming',
              actions: updateDraft(() => ({ evidenceDone: true })),
            },
            { actions: say(() => ({ text: texts.complaintEvidenceExpected })) },
          ],
          NUMBER: { actions: say(() => ({ text: texts.complaintEvidenceExpected })) },
          BACK: { target: 'resuming', actions: updateDraft(() => ({ description: undefined })) },
        },
      },

      choosingIdentity: {
        on: {
          NUMBER: [
            {
              guard: ({ event }) => event.value === 1,
              target: 'resuming',
              actions: updateDraft((draft, event) => ({
                identity: 'named',
                citizenName: draft.citizenName ?? validName(event.senderName),
              })),
            },
            {
              guard: ({ event }) => event.value === 2,
              target: 'resuming',
              actions: updateDraft(() => ({ identity: 'confidential', citizenName: undefined })),
            },
            { actions: say(({ event }) => [invalidChoiceOf(event, 2), renderIdentityMenu(catalog)]) },
          ],
          TEXT: { actions: say(() => renderIdentityMenu(catalog)) },
          BACK: { target: 'resuming', actions: updateDraft(() => ({ evidenceDone: false })) },
        },
      },

      askingName: {
        on: {
          TEXT: [
            {
              guard: ({ event }) => validName(textOf(event)) !== undefined,
              target: 'resuming',
              actions: updateDraft((_draft, event) => ({ citizenName: validName(textOf(event)) })),
            },
            { actions: say(() => ({ text: texts.complaintNameInvalid })) },
          ],
          NUMBER: { actions: say(() => ({ text: texts.complaintNameInvalid })) },
          BACK: { target: 'resuming', actions: updateDraft(() => ({ identity: undefined, citizenName: undefined })) },
        },
      },

      reviewing: {
        on: {
          NUMBER: [
            {
              guard: ({ event, context }) => event.value === 1 && toCompleteDraft(draftOf(context)) !== undefined,
              target: '#conversation.browsing.mainMenu',
              actions: [
                command(({ context }) => ({ kind: 'fileComplaint', draft: toCompleteDraft(draftOf(context))! })),
                machineSetup.assign({ draft: undefined }),
                say(() => renderMainMenu(catalog)),
              ],
            },
            { guard: ({ event }) => event.value === 2, target: 'editing', actions: say(() => renderEditMenu(catalog)) },
            { guard: ({ event }) => event.value === 3, target: 'confirmingCancel', actions: say(() => renderCancelConfirm(catalog)) },
            { actions: say(({ event, context }) => [invalidChoiceOf(event, 3), renderDraftSummary(catalog, draftOf(context))]) },
          ],
          BACK: { target: 'resuming', actions: updateDraft(() => ({ identity: undefined, citizenName: undefined })) },
        },
      },

      editing: {
        on: {
          NUMBER: [
            { guard: ({ event }) => event.value === 1, target: 'resuming', actions: updateDraft(() => ({ topic: undefined })) },
            { guard: ({ event }) => event.value === 2, target: 'resuming', actions: updateDraft(() => ({ description: undefined })) },
            {
              guard: ({ event }) => event.value === 3,
              target: 'resuming',
              actions: [discardEvidence(), updateDraft(() => ({ evidence: [], evidenceDone: false }))],
            },
            {
              guard: ({ event }) => event.value === 4,
              target: 'resuming',
              actions: updateDraft(() => ({ identity: undefined, citizenName: undefined })),
            },
            { actions: say(({ event }) => [invalidChoiceOf(event, 4), renderEditMenu(catalog)]) },
          ],
          BACK: { target: 'resuming' },
        },
      },

      confirmingCancel: {
        on: {
          NUMBER: [
            {
              guard: ({ event }) => event.value === 1,
              target: '#conversation.browsing.mainMenu',
              actions: [discardEvidence(), machineSetup.assign({ draft: undefined }), say(() => renderMainMenu(catalog, texts.complaintDiscarded))],
            },
            { guard: ({ event }) => event.value === 2, target: 'resuming' },
            { actions: say(() => renderCancelConfirm(catalog)) },
          ],
          // "batal" again confirms the cancel.
          CANCEL: {
            target: '#conversation.browsing.mainMenu',
            actions: [discardEvidence(), machineSetup.assign({ draft: undefined }), say(() => renderMainMenu(catalog, texts.complaintDiscarded))],
          },
          BACK: { target: 'resuming' },
          TEXT: { actions: say(() => renderCancelConfirm(catalog)) },
        },
      },
    },
  });

  function descriptionPrompt(context: ConversationContext) {
    const draft = draftOf(context);
    const prompt = { text: texts.complaintDescriptionPrompt };
    return draft.topic?.kind === 'payment' ? [{ text: texts.complaintPaymentNote }, prompt] : prompt;
  }

  /** Appends accepted files up to the limit and replies with what was kept, dropped or rejected. */
  function addEvidence() {
    return machineSetup.enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'MEDIA') return;
      const draft = draftOf(context);
      const room = Math.max(0, limits.evidenceMaxFiles - draft.evidence.length);
      const kept = event.accepted.slice(0, room);
      const evidence = [...draft.evidence, ...kept];
      enqueue.assign({ draft: { ...draft, evidence } });

      const replies = renderRejections(catalog, settings, event.rejected);
      if (kept.length > 0) {
        replies.push({ text: fillText(texts.complaintEvidenceReceived, { count: evidence.length, maxFiles: limits.evidenceMaxFiles }) });
      }
      if (kept.length < event.accepted.length || event.overflow > 0) {
        replies.push({ text: fillText(texts.complaintEvidenceTooMany, { maxFiles: limits.evidenceMaxFiles }) });
      }
      for (const reply of replies) enqueue.emit({ type: 'reply', reply });
    });
  }

  function isValidDescription(text: string) {
    const count = characterCount(text);
    return count >= limits.descriptionMinCharacters && count <= limits.descriptionMaxCharacters;
  }

  function invalidTopic(value: number) {
    return { text: fillText(texts.invalidOption, { choice: value, first: 1, last: paymentTopicNumber }) };
  }

  function invalidChoiceOf(event: ConversationEvent, last: number) {
    return { text: fillText(texts.invalidOption, { choice: event.type === 'NUMBER' ? event.value : '?', first: 1, last }) };
  }
}

/** Counts characters as people see them (code points), so an emoji counts once. */
function characterCount(text: string): number {
  return [...text].length;
}

/** Returns the trimmed name when it has 2 to 80 characters with at least two letters, else undefined. */
function validName(text: string | undefined): string | undefined {
  const name = text?.replace(/\s+/g, ' ').trim();
  if (!name || name.length < nameLength.min || name.length > nameLength.max) return undefined;
  if ((name.match(/\p{L}/gu) ?? []).length < 2) return undefined;
  return name;
}

function formatCount(value: number): string {
  return new Intl.NumberFormat('id-ID').format(value);
}
