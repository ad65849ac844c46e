import { splitPhrase } from './match-words.js';
import type { Service } from './schema.js';

/**
 * Finding the services a message names, from each service's keywords, name and short name.
 */

/** The word sets that name one service. */
interface ServiceNames {
  number: number;
  wordSets: ReadonlySet<string>[];
}

/** Word that joins alternatives: "kantor cabang atau kantor kas". */
const alternativeWord = 'atau';

/**
 * Creates a function that returns the numbers of the services a message's words name, in
 * service order. The list is empty when the message names none.
 *
 * A keyword names its service when every word of it occurs in the message, in any order
 * ("koperasi simpan pinjam" and "simpan pinjam koperasi" both work), leaving out stopwords.
 * A service whose matched words are a strict subset of another service's is dropped, so the
 * more specific keyword wins: "kantor cabang pembantu" names the service with that keyword,
 * not the one with "kantor cabang". All services that remain are returned.
 *
 * A message with "atau" is also read as its alternatives: "kantor koperasi cabang atau
 * pembantu" names "kantor koperasi cabang" and, read whole, "kantor cabang pembantu", so
 * both services are returned.
 */
export function createServiceFinder(
  services: readonly Service[],
  stopwords: ReadonlySet<string>,
): (words: readonly string[]) => number[] {
  const names = services.map((service) => toServiceNames(service, stopwords));

  return (words) => {
    const found = new Set<number>();
    for (const reading of toReadings(words)) {
      for (const number of findInReading(names, new Set(reading))) found.add(number);
    }
    return [...found].sort((a, b) => a - b);
  };
}

function toServiceNames(service: Service, stopwords: ReadonlySet<string>): ServiceNames {
  const phrases = [...service.keywords, service.name, service.shortName];
  const wordSets = phrases.map((phrase) => {
    const words = splitPhrase(phrase);
    const content = words.filter((word) => !stopwords.has(word));
    return new Set(content.length > 0 ? content : words);
  });
  return { number: service.number, wordSets: wordSets.filter((set) => set.size > 0) };
}

/** Returns the whole message and, when it contains "atau", each alternative. */
function toReadings(words: readonly string[]): string[][] {
  const segments: string[][] = [[]];
  for (const word of words) {
    if (word === alternativeWord) segments.push([]);
    else segments.at(-1)!.push(word);
  }
  const whole = segments.flat();
  if (segments.length === 1) return [whole];
  return [whole, ...segments.filter((segment) => segment.length > 0)];
}

function findInReading(names: readonly ServiceNames[], words: ReadonlySet<string>): number[] {
  const matches = names
    .map((service) => ({ number: service.number, words: matchedWords(service, words) }))
    .filter((match) => match.words.size > 0);
  return matches
    .filter((match) => !matches.some((other) => isStrictSubset(match.words, other.words)))
    .map((match) => match.number);
}

/** Returns the union of the service's word sets that occur whole in the message. */
function matchedWords(service: ServiceNames, words: ReadonlySet<string>): Set<string> {
  const matched = new Set<string>();
  for (const set of service.wordSets) {
    if ([...set].every((word) => words.has(word))) set.forEach((word) => matched.add(word));
  }
  return matched;
}

function isStrictSubset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size < b.size && [...a].every((word) => b.has(word));
}
