import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadHolidayCalendar } from '../../src/calendar/load-holiday-calendar.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load.js';
import { createMatcher } from '../../src/catalog/matcher.js';
import { ConversationService } from '../../src/conversation/conversation-service.js';
import { renderPlainText } from '../../src/conversation/plain-text.js';
import { createLogger, createSilentLogger } from '../../src/log/logger.js';
import { InboundPipeline } from '../../src/pipeline/inbound-pipeline.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { dialogueFor } from './dialogues.js';
import { formatNumber, median, percentile } from './stats.js';

/**
 * Throughput, latency and memory of the inbound pipeline (dedupe, per-user queue, snapshot
 * restore, transition, persisted writes, reply rendering) with simulated citizens, on SQLite
 * and on MongoDB. `npm run bench -- --help` lists the options. The script needs
 * `node --expose-gc`, which the npm script passes.
 */

const usage = `Usage: npm run bench -- [options]

  --users N          simulated citizens per run (default 2000)
  --concurrency C    citizens in flight at once (default 50)
  --runs R           runs per store (default 3)
  --store S          sqlite, mongo or both (default both); mongo needs MONGODB_URI and
                     writes to the database it names, so point it at a scratch database
  --warmup W         citizens run before each measurement and not counted (default 100)
  --help             print this text
`;

/** Time of the first message of every dialogue: Monday 7 December 2026, 09:00 WIB, within office hours. */
const firstMessageAt = Date.parse('2026-12-07T02:00:00Z');
/** Gap between two messages of one citizen, in milliseconds, far below the 30-minute session idle timeout. */
const messageGapMs = 15_000;
/** Interval of the resident set size sampling, in milliseconds. */
const rssSampleMs = 10;

type StoreKind = 'sqlite' | 'mongo';

interface Options {
  users: number;
  concurrency: number;
  runs: number;
  stores: StoreKind[];
  warmup: number;
}

interface RunResult {
  store: StoreKind;
  run: number;
  messages: number;
  seconds: number;
  /** User plus system CPU time of this process per message, in microseconds; waits for I/O are not in it. */
  cpuMicrosPerMessage: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssBytes: number;
  heapPerUserBytes: number;
  /** One-minute load average when the measurement started; above 1 means other processes competed for the CPUs. */
  loadAverage: number;
}

/** Office content and calendar, loaded once and shared by every run. */
interface OfficeContent {
  catalog: Catalog;
  calendar: WorkingCalendar;
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const logger = process.env.BENCH_LOG ? createLogger({ level: 'warn', format: 'json', destination: 'stderr' }) : createSilentLogger();

function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '50' },
      runs: { type: 'string', default: '3' },
      store: { type: 'string', default: 'both' },
      warmup: { type: 'string', default: '100' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;

  const positiveInteger = (name: string, text: string, minimum: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new Error(`Invalid --${name} "${text}": must be an integer of at least ${minimum}`);
    return value;
  };
  const storeChoices: Record<string, StoreKind[]> = { sqlite: ['sqlite'], mongo: ['mongo'], both: ['sqlite', 'mongo'] };
  const stores = storeChoices[values.store];
  if (!stores) throw new Error(`Invalid --store "${values.store}": must be sqlite, mongo or both`);

  return {
    users: positiveInteger('users', values.users, 1),
    concurrency: positiveInteger('concurrency', values.concurrency, 1),
    runs: positiveInteger('runs', values.runs, 1),
    stores,
    warmup: positiveInteger('warmup', values.warmup, 0),
  };
}

/** Runs full collections until the heap stops shrinking between two of them, at most five. */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Garbage collection is not exposed; run with node --expose-gc (npm run bench does)');
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    gc();
    await nextMacrotask();
    const used = process.memoryUsage().heapUsed;
    if (used >= previous) return;
    previous = used;
  }
}

async function loadOfficeContent(): Promise<OfficeContent> {
  const catalog = await loadCatalog(path.join(repositoryRoot, 'flows', 'diskopukm-kalbar'));
  const calendar = new WorkingCalendar({
    timeZone: catalog.office.timeZone,
    timeZoneLabel: catalog.office.timeZoneLabel,
    officeHours: catalog.office.officeHours,
    years: await loadHolidayCalendar(path.join(repositoryRoot, 'flows', 'holidays')),
  });
  return { catalog, calendar };
}

/** Builds the inbound pipeline on `store` the way `startApp` does once the store is reachable. */
function createPipeline(content: OfficeContent, store: Store): InboundPipeline {
  const { catalog, calendar } = content;
  const conversations = new ConversationService({ catalog, matcher: createMatcher(catalog), store, calendar, logger, idleMinutes: 30 });
  return new InboundPipeline({
    catalog,
    logger,
    conversations,
    pingStore: () => store.ping(),
    deliverLater: async (message, replies) => {
      const createdAt = new Date(message.receivedAt);
      await store.enqueueOutbound(replies.map((reply) => ({ channel: message.channel, userId: message.userId, text: renderPlainText(reply), createdAt })));
    },
  });
}

/** A failed dialogue step: the bot replied off the expected path, so the figures would measure the wrong work. */
interface StepFailure {
  userId: string;
  step: string;
  replies: string;
}

/**
 * Sends every citizen's dialogue through the pipeline with at most `concurrency` citizens in
 * flight; each citizen sends its next message after the previous reply. Records each
 * message's latency into `latencies` when given and returns the count of messages sent.
 */
async function runCitizens(
  pipeline: InboundPipeline,
  catalog: Catalog,
  options: { userIdPrefix: string; users: number; concurrency: number; latencies?: Float64Array; failures: StepFailure[] },
): Promise<number> {
  let nextUser = 0;
  let sent = 0;

  const worker = async () => {
    while (nextUser < options.users) {
      const userIndex = nextUser++;
      const userId = `${options.userIdPrefix}${userIndex}`;
      const steps = dialogueFor(userIndex, catalog);
      for (const [position, step] of steps.entries()) {
        const message = {
          channel: 'whatsapp',
          userId,
          messageId: `${userId}-${position}`,
          text: step.text,
          receivedAt: new Date(firstMessageAt + position * messageGapMs),
        };
        const startedAt = performance.now();
        const result = await pipeline.receive(message);
        const elapsedMs = performance.now() - startedAt;
        if (options.latencies) options.latencies[sent] = elapsedMs;
        sent++;
        if (!step.isExpected(result.replies)) {
          options.failures.push({ userId, step: step.name, replies: result.replies.map((reply) => reply.text).join(' | ').slice(0, 300) });
          break;
        }
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.users) }, worker));
  return sent;
}

/** Opens a fresh store of the kind: a new SQLite file (WAL) in a temporary folder, or MONGODB_URI. */
async function openBenchStore(kind: StoreKind): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sapa-layanan-bench-'));
  const mongodbUri = kind === 'mongo' ? process.env.MONGODB_URI : undefined;
  let store: Store;
  try {
    store = await openStore({ dataDir, ...(mongodbUri ? { mongodbUri } : {}) }, logger);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function runOnce(kind: StoreKind, run: number, options: Options, content: OfficeContent): Promise<RunResult> {
  const { store, dispose } = await openBenchStore(kind);
  try {
    const pipeline = createPipeline(content, store);
    const failures: StepFailure[] = [];
    // A random tag keeps user and message ids apart from earlier runs in a reused MongoDB database.
    const runTag = `${kind}${run}-${randomBytes(3).toString('hex')}`;

    await runCitizens(pipeline, content.catalog, { userIdPrefix: `warmup-${runTag}-`, users: options.warmup, concurrency: options.concurrency, failures });
    // Sized for the longest dialogue (5 messages) before the heap baseline, so it is not counted as retained.
    const latencies = new Float64Array(options.users * 5);

    await collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRssBytes = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), rssSampleMs);

    const loadAverage = loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const messages = await runCitizens(pipeline, content.catalog, {
      userIdPrefix: `citizen-${runTag}-`,
      users: options.users,
      concurrency: options.concurrency,
      latencies,
      failures,
    });
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());

    await collectGarbage();
    const heapAfter = process.memoryUsage().heapUsed;
    await pipeline.close(10_000);

    if (failures.length > 0) {
      const examples = failures.slice(0, 3).map((failure) => `  ${failure.userId} at ${failure.step}: ${failure.replies}`);
      throw new Error(`${failures.length} dialogues left the expected path, so the figures are not valid:\n${examples.join('\n')}`);
    }

    const sorted = latencies.subarray(0, messages).sort();
    return {
      store: kind,
      run,
      messages,
      seconds,
      cpuMicrosPerMessage: (cpu.user + cpu.system) / messages,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
      peakRssBytes,
      heapPerUserBytes: (heapAfter - heapBefore) / options.users,
      loadAverage,
    };
  } finally {
    await dispose();
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((entry) => entry.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function formatRow(options: Options, result: RunResult): string {
  const mebibyte = 1024 * 1024;
  return [
    result.store,
    String(result.run),
    formatNumber(options.users),
    String(options.concurrency),
    formatNumber(result.messages),
    formatNumber(result.messages / result.seconds),
    formatNumber(result.cpuMicrosPerMessage),
    formatNumber(result.p50Ms, 2),
    formatNumber(result.p99Ms, 2),
    formatNumber(result.maxMs, 1),
    formatNumber(result.peakRssBytes / mebibyte),
    formatNumber(result.heapPerUserBytes),
    formatNumber(result.loadAverage, 2),
  ].join(' | ');
}

/** Prints how the medians of the SQLite runs compare with the targets; information only, never an assertion. */
function printTargets(results: RunResult[], options: Options): void {
  const sqlite = results.filter((result) => result.store === 'sqlite');
  if (sqlite.length === 0) return;
  const throughput = median(sqlite.map((result) => result.messages / result.seconds));
  const p99 = median(sqlite.map((result) => result.p99Ms));
  const heap = median(sqlite.map((result) => result.heapPerUserBytes));
  const verdict = (met: boolean) => (met ? 'met' : 'missed');
  console.log(`\nSQLite medians at C=${options.concurrency} against the targets:`);
  console.log(`- throughput ${formatNumber(throughput)} messages/s (target at least 8,000): ${verdict(throughput >= 8000)}`);
  console.log(`- p99 latency ${formatNumber(p99, 2)} ms (target under 20 ms): ${verdict(p99 < 20)}`);
  console.log(`- retained heap ${formatNumber(heap)} B per idle user (target under 2,048 B): ${verdict(heap < 2048)}`);
  if (options.concurrency !== 50) console.log('  (the throughput and latency targets are stated for C=50)');
}

async function main(): Promise<void> {
  process.env.TZ = 'Asia/Pontianak';
  const options = parseOptions();
  if (!options) {
    console.log(usage);
    return;
  }

  console.log(`# Inbound pipeline benchmark\n`);
  console.log(`- node ${process.version}, ${availableParallelism()} CPUs (${cpuModel()}), TZ=${process.env.TZ}`);
  console.log(`- ${formatNumber(options.users)} users, concurrency ${options.concurrency}, ${options.runs} run${options.runs === 1 ? '' : 's'} per store, ${options.warmup} warm-up users per run`);
  console.log(`- dialogue: halo; "1" and a service number (even users) or a free-text service question (odd users); "1" (requirements); a complaint text\n`);

  const content = await loadOfficeContent();
  const results: RunResult[] = [];
  const rows: string[] = [];
  let failed = false;

  for (const kind of options.stores) {
    if (kind === 'mongo' && !process.env.MONGODB_URI) {
      rows.push(`mongo | skipped: MONGODB_URI is not set | | | | | | | | | | |`);
      continue;
    }
    for (let run = 1; run <= options.runs; run++) {
      try {
        const result = await runOnce(kind, run, options, content);
        results.push(result);
        rows.push(formatRow(options, result));
      } catch (error) {
        failed = true;
        console.error(`${kind} run ${run} failed: ${(error as Error).message}`);
        rows.push(`${kind} | ${run} failed: ${(error as Error).message.split('\n')[0]} | | | | | | | | | | |`);
        break;
      }
    }
  }

  console.log('| store | run | users | C | messages | msg/s | CPU µs/msg | p50 ms | p99 ms | max ms | peak RSS MiB | heap B/idle user | load 1 min |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row} |`);
  printTargets(results, options);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
