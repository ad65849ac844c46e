/**
 * A bounded set of recently seen message keys that forgets the oldest first. The channel
 * keeps the last message keys in it to drop a message WhatsApp delivers twice (a live upsert
 * and the offline replay of the same message).
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Records `key` and returns true, or returns false when it was already recorded. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    // A Set iterates in insertion order, so its first entry is the oldest.
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!);
    return true;
  }
}
