import { userInfo } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { HolidayDataError, loadHolidayCalendar, WorkingCalendar } from '../calendar/index.js';
import { CatalogError, loadCatalog } from '../catalog/load.js';
import { complaintStatuses, type Complaint, type ComplaintStatus } from '../complaints/complaint.js';
import { ComplaintService, type StatusDetails } from '../complaints/complaint-service.js';
import { ComplaintError } from '../complaints/errors.js';
import { loadComplaintSettings } from '../complaints/load-complaint-settings.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { formatComplaintDetails, formatComplaintTable, formatOfficeTime } from './complaints-output.js';

/**
 * `npm run complaints -- <command>`: lists, shows, classifies and changes the status of
 * complaints in the configured store. Exits 0 on success, 1 on a domain or configuration
 * error, and 2 on wrong or missing arguments.
 */

const usage = `Usage: npm run complaints -- <command>
  list [status ...]                    complaints, soonest deadline first (at most 100)
  show <ticket>                        every field and the history of a complaint
  classify <ticket> <class> [note]     set the class and recompute the deadline from receipt
  set-status <ticket> <status> [note]  change the status; for ditolak, dialihkan and dijawab
                                       the note is required: the reason, the agency or the
                                       answer, sent to the citizen as written
Statuses: ${complaintStatuses.join(', ')} (diverifikasi only through classify)
Example: npm run complaints -- set-status ADU-2026-00007 dijawab "Izin Bapak/Ibu sudah terbit."`;

/** A parsed command line. */
type Command =
  | { name: 'help' }
  | { name: 'list'; statuses: ComplaintStatus[] }
  | { name: 'show'; ticket: string }
  | { name: 'classify'; ticket: string; className: string; note?: string }
  | { name: 'set-status'; ticket: string; status: ComplaintStatus; note?: string };

/** Wrong or missing command-line arguments; the message says which. */
class UsageError extends Error {}

/** Parses the arguments after the script name; throws UsageError on anything it cannot use. */
function parseArguments(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  const note = (from: number) => (rest.length > from ? rest.slice(from).join(' ') : undefined);
  switch (name) {
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case 'list':
      return { name, statuses: rest.map(parseStatus) };
    case 'show':
      expectCount(name, rest, 1, 1);
      return { name, ticket: parseTicket(rest[0]!) };
    case 'classify':
      expectCount(name, rest, 2, Infinity);
      return { name, ticket: parseTicket(rest[0]!), className: rest[1]!, note: note(2) };
    case 'set-status':
      expectCount(name, rest, 2, Infinity);
      return { name, ticket: parseTicket(rest[0]!), status: parseStatus(rest[1]!), note: note(2) };
    case undefined:
      throw new UsageError('Missing command.');
    default:
      throw new UsageError(`Unknown command "${name}".`);
  }
}

function expectCount(command: string, values: readonly string[], min: number, max: number): void {
  if (values.length < min) throw new UsageError(`${command}: missing arguments.`);
  if (values.length > max) throw new UsageError(`${command}: too many arguments; quote a ticket written with spaces.`);
}

function parseTicket(text: string): string {
  const ticket = parseTicketNumber(text);
  if (!ticket) throw new UsageError(`"${text}" is not a ticket number; write it as ADU-YYYY-NNNNN, such as ADU-2026-00007.`);
  return ticket;
}

function parseStatus(text: string): ComplaintStatus {
  const status = complaintStatuses.find((entry) => entry === text.trim().toLowerCase());
  if (!status) throw new UsageError(`Unknown status "${text}"; use one of ${complaintStatuses.join(', ')}.`);
  return status;
}

/** Opens the configured store: the one place that picks the adapter, SQLite in DATA_DIR for now. */
function openStore(config: Config): Store {
  return SqliteStore.open(config.dataDir);
}

/** Builds the office's working calendar from office.yaml and the holiday files in FLOWS_DIR/holidays. */
async function loadCalendar(config: Config): Promise<WorkingCalendar> {
  const { office } = await loadCatalog(config.officeDir);
  const years = await loadHolidayCalendar(path.join(config.flowsDir, 'holidays'));
  return new WorkingCalendar({ timeZone: office.timeZone, timeZoneLabel: office.timeZoneLabel, officeHours: office.officeHours, years });
}

/** Actor recorded in the history for changes made with this CLI: `operator:<login name>`. */
function operatorActor(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator';
  }
}

/** Operator logs go to stderr so that stdout carries only the command's output. */
function createStderrLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'sapa-layanan', tool: 'complaints' } }, pino.destination({ dest: 2, sync: true }));
}

/** Runs one command against the configured store and prints its output. */
async function run(command: Exclude<Command, { name: 'help' }>): Promise<void> {
  const config = loadConfig();
  const [settings, calendar] = await Promise.all([loadComplaintSettings(config.officeDir), loadCalendar(config)]);
  const clock = () => new Date();
  const store = openStore(config);
  try {
    const service = new ComplaintService({ store, settings, calendar, clock, logger: createStderrLogger(config) });
    const actor = operatorActor();
    const describeChange = (before: Complaint, after: Complaint) => {
      if (after.revision === before.revision) return `${after.ticket}: nothing changed; it is already ${after.status}, class ${after.classId}.`;
      const status = before.status === after.status ? `still ${after.status}` : `${before.status} -> ${after.status}`;
      const due = `due ${formatOfficeTime(after.dueAt, calendar)}`;
      return `${after.ticket}: ${status}, class ${after.classId ?? '(unclassified)'}, ${due}. Message to the citizen queued for ${after.channel}.`;
    };

    switch (command.name) {
      case 'list':
        console.log(formatComplaintTable(await service.list({ statuses: command.statuses }), calendar, clock()));
        return;
      case 'show':
        console.log(formatComplaintDetails(await service.show(command.ticket), settings, calendar, clock()));
        return;
      case 'classify': {
        for (const warning of calendar.warnings(clock())) console.error(`Warning: ${warning.message}`);
        const before = await service.show(command.ticket);
        const after = await service.classify(command.ticket, command.className, actor, command.note);
        console.log(describeChange(before, after));
        return;
      }
      case 'set-status': {
        const before = await service.show(command.ticket);
        const after = await service.setStatus(command.ticket, command.status, actor, toStatusDetails(command.status, command.note));
        console.log(describeChange(before, after));
        return;
      }
    }
  } finally {
    await store.close();
  }
}

/** Maps the free-text note of `set-status` to the detail the target status requires. */
function toStatusDetails(status: ComplaintStatus, note: string | undefined): StatusDetails {
  switch (status) {
    case 'ditolak':
      return { reason: note };
    case 'dialihkan':
      return { agency: note };
    case 'dijawab':
      return { answer: note };
    default:
      return { note };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
  if (command.name === 'help') {
    console.log(usage);
    return 0;
  }

  try {
    await run(command);
    return 0;
  } catch (error) {
    const known = [ComplaintError, ConfigError, CatalogError, HolidayDataError].some((type) => error instanceof type);
    console.error(known ? (error as Error).message : error);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
