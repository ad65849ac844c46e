import path from 'node:path';
import cliProgress from 'cli-progress';
import { databaseNameOf, redactUri } from '../store/mongo/connection.js';
import { MongoImport } from '../store/mongo/mongo-import.js';
import { migrateStore, type KindCounts, type MigrationEvent, type MigrationReport } from '../store/migration/migrate-store.js';
import { recordKindLabels, recordKinds, type MigrationTarget, type RecordKind } from '../store/migration/records.js';
import { SqliteExport } from '../store/sqlite/sqlite-export.js';

/**
 * `npm run migrate -- --from sqlite:<folder> --to <mongodb uri>`: copies the embedded SQLite
 * store into a MongoDB database (see src/store/migration/migrate-store.ts). Progress goes to
 * stderr, the final counts to stdout. Exits 0 when everything was copied, 1 when the
 * migration failed, and 2 on wrong or missing arguments.
 */

const usage = `Usage: npm run --silent migrate -- --from sqlite:<folder> --to <mongodb connection string>
  --from sqlite:<folder>  the bot's DATA_DIR folder, the one that contains sapa-layanan.sqlite;
                          it is only read, never changed
  --to <uri>              MongoDB connection string with the database name as its path
Copies every conversation, processed message id, complaint with its history, queued
outbox message, evidence file and PIN failure. Stop the bot before you start. Running the
command again, after a finished or an interrupted run, copies only what is missing.
Example: npm run --silent migrate -- --from sqlite:./data --to mongodb://127.0.0.1:27017/sapa-layanan`;

/** Seconds between progress lines when stderr is not a terminal. */
const plainProgressIntervalSeconds = 5;

/** Invalid or missing command-line arguments. The message names the problem. */
class UsageError extends Error {}

interface Arguments {
  /** Absolute path of the SQLite DATA_DIR folder. */
  from: string;
  /** MongoDB connection string, possibly with credentials: print it only through `redactUri`. */
  to: string;
}

/** Parses `--from X`, `--from=X`, `--to X`, `--to=X` and `--help`. Throws UsageError on anything else. */
function parseArguments(argv: readonly string[]): Arguments | 'help' {
  const values: { from?: string; to?: string } = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--help' || argument === '-h') return 'help';
    const match = /^--(from|to)(?:=(.*))?$/s.exec(argument);
    if (!match) throw new UsageError(`Unknown argument "${argument.startsWith('mongodb') ? redactUri(argument) : argument}".`);
    const name = match[1] as 'from' | 'to';
    let value = match[2];
    if (value === undefined) {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || value.trim() === '') throw new UsageError(`--${name} needs a value.`);
    if (values[name] !== undefined) throw new UsageError(`--${name} is given twice.`);
    values[name] = value.trim();
  }

  if (values.from === undefined) throw new UsageError('Missing --from.');
  if (values.to === undefined) throw new UsageError('Missing --to.');
  return { from: parseSource(values.from), to: parseTarget(values.to) };
}

function parseSource(value: string): string {
  const match = /^sqlite:(.+)$/s.exec(value);
  if (!match) throw new UsageError(`Invalid --from "${value}": write it as sqlite:<folder>, such as sqlite:./data.`);
  return path.resolve(match[1]!);
}

function parseTarget(value: string): string {
  if (!/^mongodb(\+srv)?:\/\/[^/?#]+/.test(value)) {
    throw new UsageError(`Invalid --to "${redactUri(value)}": write it as a MongoDB connection string such as mongodb://127.0.0.1:27017/sapa-layanan.`);
  }
  try {
    databaseNameOf(value);
  } catch {
    throw new UsageError(
      `--to ${redactUri(value)} names no database: add it as the path, such as mongodb://127.0.0.1:27017/sapa-layanan.`,
    );
  }
  return value;
}

/**
 * Replaces the credentials (`user:password`) and the password of `uri` wherever they occur
 * in `text`, raw or percent-decoded, in case an error message quotes them. The user name
 * alone is left, because hiding a short one would garble the message.
 */
function hideCredentials(text: string, uri: string): string {
  const userInfo = /^mongodb(?:\+srv)?:\/\/([^@/]*)@/.exec(uri)?.[1];
  if (!userInfo) return text;
  const secrets = new Set<string>([userInfo]);
  const separator = userInfo.indexOf(':');
  const password = separator >= 0 ? userInfo.slice(separator + 1) : '';
  if (password.length > 0) {
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is hidden already.
    }
  }
  let hidden = text;
  // Longer strings first, so that the whole user info is replaced before the password inside it.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) hidden = hidden.split(secret).join('***');
  return hidden;
}

/** Shows progress: one bar per record kind on a terminal, plain periodic lines otherwise. */
interface ProgressDisplay {
  handle(event: MigrationEvent): void;
  stop(): void;
}

function createProgressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  return stream.isTTY ? new BarDisplay(stream) : new LineDisplay(stream);
}

class BarDisplay implements ProgressDisplay {
  private readonly bars: cliProgress.MultiBar;
  private readonly bar = new Map<RecordKind, cliProgress.SingleBar>();

  constructor(stream: NodeJS.WriteStream) {
    const width = Math.max(...recordKinds.map((kind) => recordKindLabels[kind].length));
    this.bars = new cliProgress.MultiBar(
      {
        stream,
        format: (options, params, payload: { label: string; finished: boolean }) => {
          // An empty kind has no progress to show until it is finished.
          const progress = params.total === 0 ? Number(payload.finished) : params.progress;
          const bar = cliProgress.Format.BarFormat(progress, options);
          return `${payload.label.padEnd(width)} ${bar} ${params.value}/${params.total}`;
        },
        hideCursor: true,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  handle(event: MigrationEvent): void {
    if (event.type === 'plan') {
      for (const kind of recordKinds) {
        this.bar.set(kind, this.bars.create(event.totals[kind], 0, { label: recordKindLabels[kind], finished: false }));
      }
      return;
    }
    this.bar.get(event.kind)?.update(event.counts.written + event.counts.present, { finished: event.type === 'finished' });
  }

  stop(): void {
    this.bars.stop();
  }
}

class LineDisplay implements ProgressDisplay {
  private lastLineAt = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  handle(event: MigrationEvent): void {
    if (event.type === 'plan') return;
    const label = recordKindLabels[event.kind];
    const done = event.counts.written + event.counts.present;
    const now = Date.now();
    if (event.type === 'finished') {
      this.write(`${label}: ${done} of ${event.total} done (${event.counts.written} written, ${event.counts.present} already present)`);
    } else if (done === 0 && event.counts.read === 0) {
      this.write(`${label}: copying ${event.total}`);
    } else if (now - this.lastLineAt >= plainProgressIntervalSeconds * 1000) {
      this.write(`${label}: ${done} of ${event.total}`);
    } else {
      return;
    }
    this.lastLineAt = now;
  }

  stop(): void {}

  private write(line: string): void {
    this.stream.write(`${line}\n`);
  }
}

/** Formats the final counts as a table, one row per record kind. */
function formatReport(report: MigrationReport): string {
  const header = ['records', 'read', 'written', 'already present'];
  const rows = recordKinds.map((kind) => {
    const counts: KindCounts = report.counts[kind];
    return [recordKindLabels[kind], String(counts.read), String(counts.written), String(counts.present)];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [format(header), ...rows.map(format)].join('\n');
}

async function run(options: Arguments, display: ProgressDisplay): Promise<void> {
  const source = SqliteExport.open(options.from);
  let target: MigrationTarget | undefined;
  try {
    target = await MongoImport.open(options.to);
    console.error(`Copying ${source.description} to ${target.description}.`);
    const report = await migrateStore(source, target, { onEvent: (event) => display.handle(event) });
    display.stop();

    console.log(`Migration finished: ${source.description} to ${target.description}.`);
    console.log(formatReport(report));
    for (const warning of report.warnings) console.log(`Warning: ${warning}`);
    console.log('Set MONGODB_URI to this database and start the bot to use the copied data. The SQLite folder was not changed.');
  } finally {
    await target?.close();
    await source.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Arguments | 'help';
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(usage);
    return 0;
  }

  const display = createProgressDisplay(process.stderr);
  process.once('SIGINT', () => {
    display.stop();
    console.error('\nInterrupted. Run the same command again to finish: it skips the records already copied.');
    process.exit(130);
  });
  try {
    await run(options, display);
    return 0;
  } catch (error) {
    display.stop();
    const message = error instanceof Error ? error.message : String(error);
    console.error(hideCredentials(`Migration failed: ${message}`, options.to));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
