import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Catalog } from '../catalog/load.js';
import { ComplaintService } from '../complaints/complaint-service.js';
import { CitizenFeedback } from '../feedback/citizen-feedback.js';
import type { Logger } from '../log/logger.js';
import type { MessageHandler } from '../pipeline/message-handler.js';
import type { Store } from '../store/store.js';
import { OfficerDesk } from './officer-desk.js';
import { Roster } from './roster.js';

/**
 * Builds the handlers that see messages before the citizen conversation, in order: the
 * officer commands, then the citizen's reply to an answered complaint.
 */
export function createMessageHandlers(deps: {
  catalog: Catalog;
  store: Store;
  calendar: WorkingCalendar;
  logger: Logger;
  clock: () => Date;
  /** Minutes after which a question the bot asked lapses, as for the conversation. */
  idleMinutes: number;
  /** The app's roster and complaint service; built here when not given. */
  roster?: Roster;
  complaints?: ComplaintService;
}): MessageHandler[] {
  const { catalog, store, calendar, logger, clock, idleMinutes } = deps;
  const roster = deps.roster ?? Roster.fromCatalog(catalog);
  const complaints = deps.complaints ?? new ComplaintService({ store, settings: catalog.complaints, calendar, clock, logger });
  return [
    new OfficerDesk({ catalog, roster, complaints, store, calendar, logger }),
    new CitizenFeedback({ catalog, store, roster, complaints, logger, idleMinutes }),
  ];
}
