/**
 * Finding listed phrases (greetings, intents, aspects) in the words of a message.
 */

/** A phrase as words, with what it signals. */
export interface PhraseEntry<Label> {
  words: readonly string[];
  label: Label;
}

/** A phrase found in a message: every label listed for it, its first word and its word count. */
export interface PhraseHit<Label> {
  labels: readonly Label[];
  start: number;
  length: number;
}

/**
 * Creates a function that finds the phrases of `entries` in a message's words. A phrase
 * matches whole words in order. Where found phrases overlap, the longest wins, then the
 * leftmost, so each word belongs to at most one phrase. In "cara pengaduan" the two-word
 * phrase hides the one-word phrases "cara" and "pengaduan". A one-letter phrase ("p")
 * counts only as the first word, because single letters also stand for initials and list
 * items. Hits are returned in message order.
 */
export function createPhraseFinder<Label>(
  entries: readonly PhraseEntry<Label>[],
): (words: readonly string[]) => PhraseHit<Label>[] {
  const labelsByPhrase = new Map<string, Label[]>();
  let maxLength = 0;
  for (const entry of entries) {
    if (entry.words.length === 0) continue;
    const key = entry.words.join(' ');
    labelsByPhrase.set(key, [...(labelsByPhrase.get(key) ?? []), entry.label]);
    maxLength = Math.max(maxLength, entry.words.length);
  }

  return (words) => {
    const hits = findAllHits(words, labelsByPhrase, maxLength);
    return keepLongestHits(hits, words.length);
  };
}

function findAllHits<Label>(
  words: readonly string[],
  labelsByPhrase: ReadonlyMap<string, Label[]>,
  maxLength: number,
): PhraseHit<Label>[] {
  const hits: PhraseHit<Label>[] = [];
  for (let start = 0; start < words.length; start++) {
    for (let length = 1; length <= maxLength && start + length <= words.length; length++) {
      const labels = labelsByPhrase.get(words.slice(start, start + length).join(' '));
      if (!labels) continue;
      if (start > 0 && length === 1 && words[start]!.length === 1) continue;
      hits.push({ labels, start, length });
    }
  }
  return hits;
}

function keepLongestHits<Label>(hits: PhraseHit<Label>[], wordCount: number): PhraseHit<Label>[] {
  const coveredWords = new Array<boolean>(wordCount).fill(false);
  const selectedHits: PhraseHit<Label>[] = [];
  const byPriority = [...hits].sort((a, b) => b.length - a.length || a.start - b.start);
  for (const hit of byPriority) {
    if (coveredWords.slice(hit.start, hit.start + hit.length).some(Boolean)) continue;
    coveredWords.fill(true, hit.start, hit.start + hit.length);
    selectedHits.push(hit);
  }
  return selectedHits.sort((a, b) => a.start - b.start);
}
