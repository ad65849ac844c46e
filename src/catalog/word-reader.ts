import Fuse from 'fuse.js';
import { toStandardSpelling } from './match-words.js';

/**
 * Maps each word of a message onto the matcher's vocabulary: an exact word stays, a word
 * with an Indonesian particle ending ("syaratnya", "berapakah") loses the ending, and a
 * mistyped word ("persyartan") becomes the nearest vocabulary word found by fuse.js.
 */

/** Shortest word that is corrected. Shorter words are often one letter from another real word ("dana", "data"). */
const minCorrectedLength = 5;

/** Longest word that is corrected. Longer ones are junk, and fuse.js 7 splits patterns over 32 characters into chunks. */
const maxCorrectedLength = 24;

/** Particle endings dropped when the rest of the word is in the vocabulary. */
const particleEndings = ['nya', 'kah', 'lah'] as const;

/** Vocabulary for a word reader. */
export interface WordReaderVocabulary {
  /** Every word the matcher looks for, kept as they are. */
  known: Iterable<string>;
  /** Words that a mistyped word may be corrected to. */
  correctable: Iterable<string>;
}

/** Creates a function that maps one message word onto the vocabulary, or returns it unchanged. */
export function createWordReader(vocabulary: WordReaderVocabulary): (word: string) => string {
  const known = new Set(vocabulary.known);
  const correct = createTypoCorrector(vocabulary.correctable);

  return (word) => {
    if (known.has(word)) return word;
    const stem = stripParticle(word, known);
    if (stem) return stem;
    return correct(word) ?? word;
  };
}

function stripParticle(word: string, known: ReadonlySet<string>): string | undefined {
  for (const ending of particleEndings) {
    if (!word.endsWith(ending) || word.length - ending.length < 3) continue;
    const stem = toStandardSpelling(word.slice(0, -ending.length));
    if (known.has(stem)) return stem;
  }
  return undefined;
}

/**
 * Creates a function that returns the target word nearest to a mistyped word, or undefined
 * when none is within the allowed number of edits (one for words of five to seven letters,
 * two from eight letters on). Targets are indexed by length, so a word is only compared with
 * targets whose length is within its allowed edits.
 */
export function createTypoCorrector(targets: Iterable<string>): (word: string) => string | undefined {
  const indexByLength = indexTargetsByLength(targets);

  return (word) => {
    if (word.length < minCorrectedLength || word.length > maxCorrectedLength || /\p{N}/u.test(word)) {
      return undefined;
    }
    const allowed = allowedEdits(word.length);
    let best: { target: string; edits: number } | undefined;
    for (let length = word.length - allowed; length <= word.length + allowed; length++) {
      for (const result of indexByLength.get(length)?.search(word) ?? []) {
        const edits = estimateEdits(word, result.item, result.score ?? 1);
        if (edits <= allowed && (!best || edits < best.edits)) best = { target: result.item, edits };
      }
    }
    return best?.target;
  };
}

function indexTargetsByLength(targets: Iterable<string>): Map<number, Fuse<string>> {
  const targetsByLength = new Map<number, string[]>();
  for (const target of new Set(targets)) {
    targetsByLength.set(target.length, [...(targetsByLength.get(target.length) ?? []), target]);
  }
  const options = { includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: 0.3 };
  return new Map([...targetsByLength].map(([length, words]) => [length, new Fuse(words, options)]));
}

function allowedEdits(length: number): number {
  return length >= 8 ? 2 : 1;
}

/**
 * Estimates the edits between a word and a target from the fuse.js score. With
 * ignoreLocation the score is errors divided by the word's length, but the errors count
 * only the best-matching part of the target, so "kanto" in "kantornya" scores 0. The length
 * difference is a lower bound on the edits over the whole target and closes that gap.
 */
function estimateEdits(word: string, target: string, score: number): number {
  const errors = Math.round(score * word.length);
  return Math.max(errors, Math.abs(target.length - word.length));
}
