/** Minimum gaps between sends, in milliseconds. */
export interface PacingSettings {
  /** Between two messages to the same chat. */
  perChatMs: number;
  /** Between any two messages of the office number. */
  globalMs: number;
}

/**
 * Spaces out sends per chat and for the whole number. WhatsApp publishes no send limits for
 * linked devices and restricts numbers that send in bursts, so every send waits its turn.
 * Each call reserves the next free slot at once, so callers that wait together still leave
 * the gaps between them.
 */
export class SendPacer {
  private nextGlobal = 0;
  private readonly nextPerChat = new Map<string, number>();

  constructor(
    private readonly settings: PacingSettings,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  /** Waits until a message to `chat` may be sent. */
  async wait(chat: string): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextGlobal, this.nextPerChat.get(chat) ?? 0);
    this.nextGlobal = at + this.settings.globalMs;
    this.nextPerChat.set(chat, at + this.settings.perChatMs);
    this.forgetIdleChats(now);
    if (at > now) await this.sleep(at - now);
  }

  /** Drops chats whose gap has passed, so the map holds only chats sent to recently. */
  private forgetIdleChats(now: number): void {
    if (this.nextPerChat.size < 1000) return;
    for (const [chat, next] of this.nextPerChat) if (next <= now) this.nextPerChat.delete(chat);
  }
}
