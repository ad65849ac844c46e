import { aspectNames, intentNames, type AspectName, type IntentName, type Lexicon } from './lexicon-schema.js';
import { readMessageStart, splitPhrase, splitWords } from './match-words.js';
import { createPhraseFinder, type PhraseEntry, type PhraseHit } from './phrase-finder.js';
import type { Service } from './schema.js';
import { createServiceFinder } from './service-finder.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import { createWordReader } from './word-reader.js';

/**
 * Classifying a citizen's free-text message into one intent, using the service keywords and
 * the office's lexicon.
 */

/** Intent of a citizen's message, which decides the bot's reply. */
export type Intent =
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'help' }
  /** One service, with the component asked about when the message names one. */
  | { kind: 'service'; service: number; aspect?: AspectName }
  /**
   * Services the message may mean, in service order: several named equally well, or every
   * service when the message names only an aspect ("syarat apa saja").
   */
  | { kind: 'ambiguous'; candidates: number[]; aspect?: AspectName }
  | { kind: 'complaint' }
  /** A question about a complaint, with its ticket number as ADU-YYYY-NNNNN when given. */
  | { kind: 'status'; ticket?: string }
  | { kind: 'contact' }
  | { kind: 'hours' }
  /** A question about fees that names no service. */
  | { kind: 'fee' }
  | { kind: 'unknown' };

/** Reads messages against one office's services and lexicon. */
export interface Matcher {
  /** Returns the intent of a message. Only the first maxReadCharacters characters are read. */
  match(text: string): Intent;
}

type PhraseLabel =
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'intent'; intent: IntentName }
  | { kind: 'aspect'; aspect: AspectName };

/** Signals of the lexicon phrases found in one message. */
interface Signals {
  greeting: boolean;
  thanks: boolean;
  intents: ReadonlySet<IntentName>;
  /** Component from the longest aspect phrase, the leftmost on a tie. */
  aspect: AspectName | undefined;
}

/**
 * Creates a matcher for one office. Service keywords and lexicon phrases are indexed once
 * here, so `match` only reads the message.
 */
export function createMatcher(input: { services: Service[]; lexicon: Lexicon }): Matcher {
  const { services, lexicon } = input;
  const entries = toPhraseEntries(lexicon);
  const stopwords = new Set(lexicon.stopwords.flatMap(splitPhrase));
  const findPhrases = createPhraseFinder(entries);
  const findServices = createServiceFinder(services, stopwords);
  const readWord = createWordReader(buildVocabulary(services, entries, stopwords));
  const serviceNumbers = services.map((service) => service.number);

  return {
    match(text) {
      const message = readMessageStart(text);
      const ticket = parseTicketNumber(message);
      if (ticket) return { kind: 'status', ticket };

      const words = splitWords(message).map(readWord);
      if (words.length === 0) return { kind: 'unknown' };
      const signals = toSignals(findPhrases(words));
      return decide(signals, findServices(words), serviceNumbers);
    },
  };
}

/**
 * Chooses one intent. A ticket number, read before this, wins over everything. Then, in order:
 * 1. status, because a question about an existing complaint ("cek tiket pengaduan") is not a
 *    new complaint.
 * 2. complaint, so that a report of bad service or illegal charges is not answered with
 *    information about the service it names ("komplain izin usp lama").
 * 3. service, with its aspect. A fee word without an aspect phrase ("usp gratis?") asks for
 *    the fee aspect.
 * 4. contact, hours, then fee, which are office-wide questions.
 * 5. an aspect with no service. Fee and complaint handling are the same for every service, so
 *    they become fee and complaint. Any other aspect becomes a choice among all services.
 * 6. help, thanks, then greeting. A greeting often opens a longer message and thanks close
 *    one, so "halo, makasih ya" is thanks.
 * 7. unknown.
 */
function decide(signals: Signals, candidates: number[], serviceNumbers: number[]): Intent {
  const { intents, aspect } = signals;
  if (intents.has('status')) return { kind: 'status' };
  if (intents.has('complaint')) return { kind: 'complaint' };
  if (candidates.length > 0) {
    return toServiceIntent(candidates, aspect ?? (intents.has('fee') ? 'fee' : undefined));
  }
  if (intents.has('contact')) return { kind: 'contact' };
  if (intents.has('hours')) return { kind: 'hours' };
  if (intents.has('fee')) return { kind: 'fee' };
  if (aspect) return toAspectOnlyIntent(aspect, serviceNumbers);
  if (intents.has('help')) return { kind: 'help' };
  if (signals.thanks) return { kind: 'thanks' };
  if (signals.greeting) return { kind: 'greeting' };
  return { kind: 'unknown' };
}

function toServiceIntent(candidates: number[], aspect: AspectName | undefined): Intent {
  const withAspect = aspect ? { aspect } : {};
  if (candidates.length === 1) return { kind: 'service', service: candidates[0]!, ...withAspect };
  return { kind: 'ambiguous', candidates, ...withAspect };
}

function toAspectOnlyIntent(aspect: AspectName, serviceNumbers: number[]): Intent {
  if (aspect === 'fee') return { kind: 'fee' };
  if (aspect === 'complaintHandling') return { kind: 'complaint' };
  return { kind: 'ambiguous', candidates: [...serviceNumbers], aspect };
}

function toSignals(hits: PhraseHit<PhraseLabel>[]): Signals {
  const intents = new Set<IntentName>();
  let greeting = false;
  let thanks = false;
  let aspectHit: { aspect: AspectName; length: number } | undefined;

  for (const hit of hits) {
    for (const label of hit.labels) {
      if (label.kind === 'greeting') greeting = true;
      else if (label.kind === 'thanks') thanks = true;
      else if (label.kind === 'intent') intents.add(label.intent);
      else if (!aspectHit || hit.length > aspectHit.length) aspectHit = { aspect: label.aspect, length: hit.length };
    }
  }
  return { greeting, thanks, intents, aspect: aspectHit?.aspect };
}

function toPhraseEntries(lexicon: Lexicon): PhraseEntry<PhraseLabel>[] {
  const entries: PhraseEntry<PhraseLabel>[] = [];
  const add = (phrases: readonly string[], label: PhraseLabel) => {
    for (const phrase of phrases) entries.push({ words: splitPhrase(phrase), label });
  };

  add(lexicon.greetings, { kind: 'greeting' });
  add(lexicon.thanks, { kind: 'thanks' });
  for (const intent of intentNames) add(lexicon.intents[intent], { kind: 'intent', intent });
  for (const aspect of aspectNames) add(lexicon.aspects[aspect], { kind: 'aspect', aspect });
  return entries;
}

/**
 * Collects the words the matcher looks for. Only intent, aspect and service words are
 * typo-correction targets, because greetings and thanks are short and listed with their
 * spellings. A stopword is never a target, so "dapat" is not read as "rapat".
 */
function buildVocabulary(
  services: readonly Service[],
  entries: readonly PhraseEntry<PhraseLabel>[],
  stopwords: ReadonlySet<string>,
) {
  const serviceWords = services.flatMap((service) =>
    [...service.keywords, service.name, service.shortName].flatMap(splitPhrase),
  );
  const contentEntries = entries.filter((entry) => entry.label.kind === 'intent' || entry.label.kind === 'aspect');
  const contentWords = [...serviceWords, ...contentEntries.flatMap((entry) => entry.words)];
  return {
    known: [...serviceWords, ...entries.flatMap((entry) => entry.words), ...stopwords],
    correctable: contentWords.filter((word) => !stopwords.has(word)),
  };
}
