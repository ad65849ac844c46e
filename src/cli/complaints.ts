import { userInfo } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { HolidayDataError, loadHolidayCalendar, WorkingCalendar } from '../calendar/index.js';
import { CatalogError, loadCatalog, type Catalog } from '../catalog/load.js';
import { complaintStatuses, type Complaint, type ComplaintStatus } from '../complaints/complaint.js';
import type { ComplaintSettings } from '../complaints/complaint-settings.js';
import { ComplaintService, type StatusDetails } from '../complaints/complaint-service.js';
import { ComplaintError } from '../complaints/errors.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../log/logger.js';
import { openStore } from '../store/open-store.js';
import { formatChangeSummary, formatComplaintDetails, formatComplaintTable } from './complaints-output.js';

/**
 * `npm run complaints -- <command>`: lists, shows, classifies and changes the status of
 * complaints in the configured store. Exits 0 on success, 1 on a domain or configuration
 * error, and 2 on wrong or missing arguments.
 */

const usage = `Usage: npm run complaints -- <command>
  list [status ...]                    complaints, soonest deadline first (at most 100)
  show <ticket> [--reveal]             every field and the history of a complaint; the citizen's
                                       name and address of a confidential complaint show only
                                       with --reveal, which is for the complaint manager
  classify <ticket> <class> [note]     set the class and recompute the deadline from receipt
  set-status <ticket> <status> [note]  change the status. For ditolak, dialihkan and dijawab
                                       the note is required, because it is the reason, the
                                       agency or the answer, sent to the citizen as written
Statuses: ${complaintStatuses.join(', ')} (diverifikasi only through classify)
Example: npm run complaints -- set-status ADU-2026-00007 dijawab "Izin Bapak/Ibu sudah terbit."`;

/** A parsed command line. */
type Command =
  | { name: 'help' }
  | { name: 'list'; statuses: ComplaintStatus[] }
  | { name: 'show'; ticket: string; reveal: boolean }
  | { name: 'classify'; ticket: string; className: string; note?: string }
  | { name: 'set-status'; ticket: string; status: ComplaintStatus; note?: string };

/** Invalid or missing command-line arguments. The message names the problem. */
class UsageError extends Error {}

/** Parses the arguments after the script name. Throws UsageError on invalid or missing arguments. */
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
    case 'show': {
      const reveal = rest.includes('--reveal');
      const operands = rest.filter((argument) => argument !== '--reveal');
      expectCount(name, operands, 1, 1);
      return { name, ticket: parseTicket(operands[0]!), reveal };
    }
    case 'classify':
      expectCount(name, rest, 2, Infinity);
      return { name, ticket: parseTicket(rest[0]!, { strict: true }), className: rest[1]!, note: note(2) };
    case 'set-status':
      expectCount(name, rest, 2, Infinity);
      return { name, ticket: parseTicket(rest[0]!, { strict: true }), status: parseStatus(rest[1]!), note: note(2) };
    case undefined:
      throw new UsageError('Missing command.');
    default:
      throw new UsageError(`Unknown command "${name}".`);
  }
}

function expectCount(command: string, values: readonly string[], min: number, max: number): void {
  if (values.length < min) throw new UsageError(`${command}: missing arguments.`);
  if (values.length > max) throw new UsageError(`${command}: too many arguments. Quote a ticket written with spaces.`);
}

/**
 * Reads a ticket number. `show` accepts loose spellings as citizens write them ("adu 2026 1");
 * a command that changes a complaint (`strict`) accepts only ADU-YYYY-NNNNN in any case, so a
 * typo cannot change the wrong complaint.
 */
function parseTicket(text: string, options: { strict?: boolean } = {}): string {
  const exact = /^ADU-\d{4}-\d{5}$/i.test(text.trim());
  const ticket = !options.strict || exact ? parseTicketNumber(text) : undefined;
  if (!ticket) throw new UsageError(`Invalid ticket number "${text}": write it as ADU-YYYY-NNNNN, such as ADU-2026-00007.`);
  return ticket;
}

function parseStatus(text: string): ComplaintStatus {
  const status = complaintStatuses.find((entry) => entry === text.trim().toLowerCase());
  if (!status) throw new UsageError(`Unknown status "${text}": use one of ${complaintStatuses.join(', ')}.`);
  return status;
}

/** Builds the office's working calendar from office.yaml and the holiday files in FLOWS_DIR/holidays. */
async function loadCalendar(config: Config, { office }: Catalog): Promise<WorkingCalendar> {
  const years = await loadHolidayCalendar(path.join(config.flowsDir, 'holidays'));
  const { timeZone, timeZoneLabel, officeHours } = office;
  return new WorkingCalendar({ timeZone, timeZoneLabel, officeHours, years });
}

/**
 * Prints the calendar's warnings (missing or provisional holiday file) for the years from the
 * complaint's receipt to its deadline, because the deadline was counted on those years.
 */
function warnAboutHolidayData(calendar: WorkingCalendar, complaint: Complaint): void {
  const dueYear = DateTime.fromJSDate(complaint.dueAt, { zone: calendar.timeZone }).year;
  for (const warning of calendar.warnings(complaint.receivedAt)) {
    if (warning.year <= dueYear) console.error(`Warning: ${warning.message}`);
  }
}

/** Actor recorded in the history for changes made with this CLI: `operator:<login name>`. */
function operatorActor(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator';
  }
}

/** Creates the operator log, on stderr so that stdout carries only the command's output. */
function createStderrLogger(config: Config): Logger {
  return createLogger({ level: config.logLevel, format: config.logFormat, destination: 'stderr' }).child({ tool: 'complaints' });
}

/** Runs one command against the configured store and prints its output. */
async function run(command: Exclude<Command, { name: 'help' }>): Promise<void> {
  const config = loadConfig();
  const catalog = await loadCatalog(config.officeDir);
  const settings = catalog.complaints;
  const calendar = await loadCalendar(config, catalog);
  const clock = () => new Date();
  const store = await openStore(config, createStderrLogger(config));
  try {
    const service = new ComplaintService({ store, settings, calendar, clock, logger: createStderrLogger(config) });
    await runCommand(command, service, { settings, calendar, now: clock() });
  } finally {
    await store.close();
  }
}

async function runCommand(
  command: Exclude<Command, { name: 'help' }>,
  service: ComplaintService,
  context: { settings: ComplaintSettings; calendar: WorkingCalendar; now: Date },
): Promise<void> {
  const { settings, calendar, now } = context;
  switch (command.name) {
    case 'list':
      console.log(formatComplaintTable(await service.list({ statuses: command.statuses }), calendar, now));
      return;
    case 'show':
      console.log(formatComplaintDetails(await service.show(command.ticket), settings, calendar, now, { reveal: command.reveal }));
      return;
    case 'classify': {
      const before = await service.show(command.ticket);
      const after = await service.classify(command.ticket, command.className, operatorActor(), command.note);
      console.log(formatChangeSummary(before, after, calendar));
      warnAboutHolidayData(calendar, after);
      return;
    }
    case 'set-status': {
      const before = await service.show(command.ticket);
      const details = toStatusDetails(command.status, command.note);
      const after = await service.setStatus(command.ticket, command.status, operatorActor(), details);
      console.log(formatChangeSummary(before, after, calendar));
      return;
    }
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
