import { setTimeout as sleep } from 'node:timers/promises';
import { createActor, type Snapshot } from 'xstate';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Catalog } from '../catalog/load.js';
import type { Matcher } from '../catalog/matcher.js';
import { fillText } from '../catalog/texts-schema.js';
import type { Complaint, EvidenceRef, NewComplaint } from '../complaints/complaint.js';
import { notifyFiled } from '../complaints/filed-hook.js';
import { checkEvidence } from '../complaints/evidence.js';
import { generatePin, prepareComplaint } from '../complaints/filing.js';
import type { Logger } from '../log/logger.js';
import { toUserKey, type InboundMessage } from '../pipeline/inbound-message.js';
import { isTransientStoreError } from '../store/errors.js';
import type { ConversationRecord, Store } from '../store/store.js';
import { toCommandWord } from '../text/normalize.js';
import { CommandRunner } from './command-runner.js';
import { hasDraftContent, type ComplaintDraft } from './complaint-draft.js';
import { toConversationEvent, type ConversationEvent } from './events.js';
import { createConversationMachine, type ConversationCommand, type ConversationMachine } from './machine.js';
import { renderMainMenu } from './render.js';
import { renderResumeOffer } from './render-complaint.js';
import type { Reply } from './reply.js';

type MachineSnapshot = ReturnType<ConversationMachine['resolveState']>;

/** The outcome of handling one message. */
export type HandleResult = { status: 'replied'; replies: Reply[]; complaint?: Complaint } | { status: 'duplicate' };

/** Times a turn is retried after another writer saved the same conversation first. */
const maxConflictRetries = 3;
/** Attempts at a commit that meets a momentary lock, and the base wait between them in ms. */
const maxTransientRetries = 5;
const transientRetryDelayMs = 20;

/** Marks where the confirmation of a filed complaint goes among the replies. */
const filedMarker = Symbol('filed complaint confirmation');
type TurnOutput = Reply | typeof filedMarker;

interface Turn {
  snapshot: unknown;
  outputs: TurnOutput[];
  newComplaint?: NewComplaint;
  pin?: string;
  /** Stored files of a discarded draft, deleted once the turn is committed. */
  discardedMedia: string[];
}

/** Events that still apply after a long pause while a draft waits. */
const eventsAfterIdleWithDraft = new Set<ConversationEvent['type']>(['MENU', 'GREETING', 'HELP', 'CANCEL']);

/**
 * Runs one message through the citizen conversation: restores the user's persisted
 * snapshot, sends the event, executes the commands the machine emits, and commits the new
 * snapshot together with the processed message id and any filed complaint. Replies are
 * returned only after the commit, so a crash before it leaves the message unprocessed and a
 * redelivery handles it again, and no complaint is filed twice.
 *
 * Callers must serialise calls per user (the inbound pipeline does).
 */
export class ConversationService {
  private readonly machine: ConversationMachine;
  private readonly greetings: ReadonlySet<string>;
  private readonly commands: CommandRunner;

  constructor(
    private readonly deps: {
      catalog: Catalog;
      matcher: Matcher;
      store: Store;
      calendar: WorkingCalendar;
      logger: Logger;
      /** Minutes without messages after which a conversation restarts at the main menu. */
      idleMinutes: number;
      /** Called after a complaint was filed and committed, to ping the officers; errors are logged. */
      onComplaintFiled?: (complaint: Complaint) => Promise<unknown>;
    },
  ) {
    this.machine = createConversationMachine({ catalog: deps.catalog, complaints: deps.catalog.complaints });
    this.greetings = new Set(deps.catalog.lexicon.greetings.map(toCommandWord));
    this.commands = new CommandRunner(deps);
  }

  async handle(message: InboundMessage): Promise<HandleResult> {
    const { store } = this.deps;
    // NOTE: a crash after the commit but before the channel sent the replies leaves the
    // citizen without them: the redelivery is a duplicate. A filed complaint still shows in
    // the citizen's status menu.
    const messageId = scopedMessageId(message);
    if (await store.isProcessed(message.channel, messageId)) return { status: 'duplicate' };
    const userKey = toUserKey(message);
    const media = new MediaIntake(this.deps, message);

    for (let attempt = 0; attempt <= maxConflictRetries; attempt++) {
      const record = await store.findConversation(userKey);
      const turn = await this.runTurn(record, message, media);

      const result = await this.commitWithRetry({
        message: { channel: message.channel, messageId, userKey, processedAt: message.receivedAt },
        userKey,
        snapshot: turn.snapshot,
        expectedVersion: record?.version,
        now: message.receivedAt,
        ...(turn.newComplaint ? { newComplaint: turn.newComplaint } : {}),
      }, userKey);
      if (result.status === 'duplicate') return { status: 'duplicate' };
      if (result.status === 'committed') {
        if (result.complaint) {
          this.deps.logger.info({ ticket: result.complaint.ticket, channel: message.channel }, 'complaint filed');
          await notifyFiled(this.deps, result.complaint);
        }
        await this.deleteDiscardedMedia(turn.discardedMedia);
        return {
          status: 'replied',
          replies: this.toReplies(turn, result.complaint),
          ...(result.complaint ? { complaint: result.complaint } : {}),
        };
      }
      this.deps.logger.warn({ userKey, attempt }, 'conversation version conflict, retrying turn');
    }
    throw new Error(
      `Conversation for ${userKey} kept changing during ${maxConflictRetries + 1} attempts; message ${message.messageId} not processed`,
    );
  }

  /**
   * Commits a turn, retrying a momentary lock or write conflict a few times with a short
   * jittered wait. Any other error, and a lock that outlasts the retries, goes to the caller.
   */
  private async commitWithRetry(turn: Parameters<Store['commitTurn']>[0], userKey: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.store.commitTurn(turn);
      } catch (error) {
        if (!isTransientStoreError(error) || attempt >= maxTransientRetries) throw error;
        this.deps.logger.debug({ userKey, attempt }, 'store busy, retrying the commit');
        await sleep(transientRetryDelayMs * attempt + Math.random() * transientRetryDelayMs);
      }
    }
  }

  /** Restores the actor, runs the event and the commands it causes, and returns the new snapshot and outputs. */
  private async runTurn(record: ConversationRecord | undefined, message: InboundMessage, media: MediaIntake): Promise<Turn> {
    const { catalog } = this.deps;
    const outputs: TurnOutput[] = [];
    const pending: ConversationCommand[] = [];
    let restored = record ? this.restoreSnapshot(record) : undefined;

    const idle = record !== undefined && message.receivedAt.getTime() - record.updatedAt.getTime() > this.deps.idleMinutes * 60_000;
    if (idle || (record && !restored)) {
      const draft = draftOf(restored);
      restored = this.resetSnapshot(draft);
      const event = this.toEvent(message, []);
      if (hasDraftContent(draft) && !eventsAfterIdleWithDraft.has(event.type)) {
        // The message was written for a step the citizen no longer sees: offer the draft instead.
        outputs.push({ text: catalog.texts.sessionExpired }, renderResumeOffer(catalog));
        return { snapshot: this.machine.getPersistedSnapshot(this.resetSnapshot(draft, true)), outputs, discardedMedia: [] };
      }
      if (event.type === 'NUMBER' || event.type === 'BACK') {
        // A number typed after a long pause was meant for a menu the citizen no longer sees.
        outputs.push(renderMainMenu(catalog, catalog.texts.sessionExpired));
        return { snapshot: this.machine.getPersistedSnapshot(restored as MachineSnapshot), outputs, discardedMedia: [] };
      }
      outputs.push({ text: catalog.texts.sessionExpired });
    }

    const actor = createActor(this.machine, restored ? { snapshot: restored as MachineSnapshot } : undefined);
    let failure: unknown;
    actor.subscribe({ error: (error) => (failure = error) });
    actor.on('reply', (emitted) => outputs.push(emitted.reply));
    actor.on('command', (emitted) => {
      pending.push(emitted.command);
      // The confirmation goes where the machine asked for the filing, before later replies.
      if (emitted.command.kind === 'fileComplaint') outputs.push(filedMarker);
    });
    actor.start();

    const room = this.evidenceRoom(actor.getSnapshot(), message);
    actor.send(this.toEvent(message, message.media?.length ? await media.take(room) : undefined));

    const turn: Turn = { snapshot: undefined, outputs, discardedMedia: [] };
    const scope = { channel: message.channel, userId: message.userId, userKey: toUserKey(message), now: message.receivedAt };
    while (pending.length > 0 && failure === undefined) {
      const next = pending.shift()!;
      if (next.kind === 'fileComplaint') {
        turn.pin = generatePin();
        turn.newComplaint = prepareComplaint({
          draft: next.draft,
          channel: message.channel,
          userId: message.userId,
          receivedAt: message.receivedAt,
          settings: catalog.complaints,
          calendar: this.deps.calendar,
          pin: turn.pin,
        });
        continue;
      }
      if (next.kind === 'discardMedia') {
        turn.discardedMedia.push(...next.mediaIds);
        continue;
      }
      const result = await this.commands.run(next, scope);
      actor.send({ ...result, at: message.receivedAt.toISOString() });
    }

    turn.snapshot = actor.getPersistedSnapshot();
    actor.stop();
    if (failure !== undefined) throw failure;
    return turn;
  }

  private toEvent(
    message: InboundMessage,
    media: Pick<Extract<ConversationEvent, { type: 'MEDIA' }>, 'accepted' | 'rejected' | 'overflow'> | [] | undefined,
  ): ConversationEvent {
    if (media && !Array.isArray(media)) {
      return {
        type: 'MEDIA',
        at: message.receivedAt.toISOString(),
        text: message.text,
        ...media,
        ...(message.senderName ? { senderName: message.senderName } : {}),
      };
    }
    return toConversationEvent(message.text, message.receivedAt, {
      match: (text) => this.deps.matcher.match(text),
      greetings: this.greetings,
      ...(message.senderName ? { senderName: message.senderName } : {}),
    });
  }

  private toReplies(turn: Turn, complaint: Complaint | undefined): Reply[] {
    return turn.outputs.flatMap((output): Reply[] => {
      if (output !== filedMarker) return [output];
      if (!complaint || !turn.pin) return [];
      return [this.renderFiled(complaint, turn.pin)];
    });
  }

  /**
   * Returns the confirmation of a filed complaint. The complaint is already committed, so a
   * rendering failure must not hide the ticket and PIN: it falls back to a plain sentence.
   */
  private renderFiled(complaint: Complaint, pin: string): Reply {
    try {
      const dueText = this.deps.calendar.formatDeadline(complaint.dueAt);
      return { text: fillText(this.deps.catalog.texts.complaintFiled, { ticket: complaint.ticket, pin, dueText }) };
    } catch (error) {
      this.deps.logger.error({ err: error, ticket: complaint.ticket }, 'complaint confirmation could not be rendered; sent the plain fallback');
      return { text: `Pengaduan Bapak/Ibu sudah kami terima. Nomor tiket: ${complaint.ticket}. PIN: ${pin}.` };
    }
  }

  /**
   * Returns how many files the conversation can take now: the room left in the draft while
   * evidence is collected, or while the description is asked (a photo with the story as its
   * caption). Returns undefined where files are not taken at all.
   */
  private evidenceRoom(snapshot: MachineSnapshot, message: InboundMessage): number | undefined {
    const limits = this.deps.catalog.complaints.limits;
    const draft = snapshot.context.draft;
    const stored = draft?.evidence.length ?? 0;
    const room = Math.max(0, limits.evidenceMaxFiles - stored);
    if (snapshot.matches({ complaint: 'collectingEvidence' })) return room;
    const caption = [...message.text.trim()].length;
    const describing = snapshot.matches({ complaint: 'describing' });
    if (describing && caption >= limits.descriptionMinCharacters && caption <= limits.descriptionMaxCharacters) return room;
    return undefined;
  }

  /** Deletes evidence files of discarded drafts; a failure leaves them unreferenced and is logged. */
  private async deleteDiscardedMedia(mediaIds: string[]): Promise<void> {
    if (mediaIds.length === 0) return;
    try {
      await this.deps.store.deleteMedia(mediaIds);
    } catch (error) {
      this.deps.logger.warn({ err: error, count: mediaIds.length }, 'discarded evidence files could not be deleted');
    }
  }

  /** Returns a snapshot at the main menu, or at the draft offer, that keeps the draft. */
  private resetSnapshot(draft: ComplaintDraft | undefined, atResumeOffer = false): MachineSnapshot {
    return this.machine.resolveState({
      value: atResumeOffer ? { complaint: 'resumeOffer' } : { browsing: 'mainMenu' },
      context: draft ? { draft } : {},
    });
  }

  /** Returns the stored snapshot when it still fits the machine, or undefined after logging why not. */
  private restoreSnapshot(record: ConversationRecord): Snapshot<unknown> | undefined {
    const candidate = record.snapshot as { status?: string; value?: unknown; context?: unknown };
    try {
      if (candidate?.status !== 'active') throw new Error(`snapshot status is ${String(candidate?.status)}`);
      // resolveState throws when the stored state value no longer exists in the machine.
      this.machine.resolveState(candidate as Parameters<ConversationMachine['resolveState']>[0]);
      return record.snapshot as Snapshot<unknown>;
    } catch (error) {
      this.deps.logger.warn(
        { userKey: record.userKey, err: error },
        'stored conversation does not fit the current machine; starting at the main menu',
      );
      return undefined;
    }
  }
}

/**
 * Returns the message id used for deduplication, scoped by the sender because some platforms
 * (Telegram) number messages per chat. The user id's length comes first, so no two pairs of
 * user and message id give the same text.
 */
export function scopedMessageId(message: Pick<InboundMessage, 'userId' | 'messageId'>): string {
  return `${message.userId.length}:${message.userId}:${message.messageId}`;
}

/** Returns the complaint draft of a stored snapshot, if it has one. */
function draftOf(snapshot: Snapshot<unknown> | undefined): ComplaintDraft | undefined {
  const context = (snapshot as { context?: { draft?: ComplaintDraft } } | undefined)?.context;
  return context?.draft;
}

/**
 * Checks a message's files once and stores the accepted ones only when the conversation is
 * collecting evidence, so retries of a turn reuse the same stored files.
 */
class MediaIntake {
  private stored?: { accepted: EvidenceRef[]; rejected: Extract<ConversationEvent, { type: 'MEDIA' }>['rejected']; overflow: number };

  constructor(
    private readonly deps: { store: Store; catalog: Catalog },
    private readonly message: InboundMessage,
  ) {}

  /**
   * Checks the files and stores at most `room` of the accepted ones; files beyond the room
   * are reported to the machine as overflow, so it can tell the citizen the limit was reached.
   */
  async take(room: number | undefined): Promise<{ accepted: EvidenceRef[]; rejected: Extract<ConversationEvent, { type: 'MEDIA' }>['rejected']; overflow: number }> {
    if (room === undefined) return { accepted: [], rejected: [], overflow: 0 };
    if (this.stored) return this.stored;

    const checked = await checkEvidence(this.message.media ?? [], this.deps.catalog.complaints.limits);
    const accepted: EvidenceRef[] = [];
    for (const file of checked.accepted.slice(0, room)) {
      // NOTE: a turn that ends as a duplicate leaves its stored files unreferenced.
      const mediaId = await this.deps.store.saveMedia({ ...file, createdAt: this.message.receivedAt });
      accepted.push({ mediaId, mimeType: file.mimeType, size: file.size, ...(file.fileName ? { fileName: file.fileName } : {}) });
    }
    this.stored = { accepted, rejected: checked.rejected, overflow: Math.max(0, checked.accepted.length - room) };
    return this.stored;
  }
}

