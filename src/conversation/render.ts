import type { Catalog } from '../catalog/load.js';
import type { AspectName } from '../catalog/lexicon-schema.js';
import type { ListItem, Office, Service, Weekday } from '../catalog/schema.js';
import { sectionLabel, serviceSections } from '../catalog/sections.js';
import { fillText } from '../catalog/texts-schema.js';
import type { Reply } from './reply.js';

/**
 * Builders for the bot's replies from the office's content. Pure functions: the machine
 * calls them inside its actions and emits the result.
 */

/** Returns the salutation for the time of day at the office ("Selamat pagi" before 11.00). */
export function salutationAt(catalog: Catalog, at: Date): string {
  const hour = Number(hourFormat(catalog.office.timeZone).format(at));
  const { texts } = catalog;
  if (hour >= 4 && hour < 11) return texts.salutationMorning;
  if (hour >= 11 && hour < 15) return texts.salutationMidday;
  if (hour >= 15 && hour < 18) return texts.salutationAfternoon;
  return texts.salutationEvening;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** Returns a formatter of the hour (00–23) in a zone, built once per zone because building one is slow. */
function hourFormat(timeZone: string): Intl.DateTimeFormat {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone });
    hourFormats.set(timeZone, format);
  }
  return format;
}

/** Returns the first reply to a new user: a greeting with the office's name and the privacy notice. */
export function renderWelcome(catalog: Catalog, at: Date): Reply {
  const greeting = fillText(catalog.texts.greeting, {
    salutation: salutationAt(catalog, at),
    officeName: catalog.office.name,
  });
  return { text: `${greeting}\n\n${catalog.texts.privacyNotice}` };
}

/** Returns the main menu, with `preface` above the menu title in the same message. */
export function renderMainMenu(catalog: Catalog, preface?: string): Reply {
  const { texts } = catalog;
  const title = preface ? `${preface}\n\n${texts.mainMenuTitle}` : texts.mainMenuTitle;
  return {
    text: title,
    footer: texts.menuHint,
    options: [
      { key: '1', label: texts.mainMenuServices },
      { key: '2', label: texts.mainMenuComplaint },
      { key: '3', label: texts.mainMenuStatus },
      { key: '4', label: texts.mainMenuContact },
    ],
  };
}

/** Number of entries of the main menu, for range messages. */
export const mainMenuSize = 4;

/** Returns the list of services, numbered in the decree's order. */
export function renderServiceList(catalog: Catalog): Reply {
  return {
    text: fillText(catalog.texts.serviceListTitle, {
      count: catalog.services.length,
      officeShortName: catalog.office.shortName,
    }),
    options: catalog.services.map((service) => ({ key: String(service.number), label: service.name })),
    footer: catalog.texts.menuHint,
  };
}

/** Returns the detail menu of one service: its fourteen components. */
export function renderServiceDetail(catalog: Catalog, service: Service): Reply {
  return {
    text: fillText(catalog.texts.serviceDetailTitle, { serviceName: service.name }),
    options: serviceSections.map((section, index) => ({ key: String(index + 1), label: section.label })),
    footer: catalog.texts.menuHint,
  };
}

/** Returns a choice between services that a free-text message matched equally well. */
export function renderCandidates(catalog: Catalog, candidates: number[]): Reply {
  return {
    text: catalog.texts.ambiguous,
    options: candidates.map((number) => ({ key: String(number), label: serviceByNumber(catalog, number).name })),
  };
}

/**
 * Returns one component of a service as the decree states it. The navigation footer is left
 * out when the detail menu follows in the same turn, because that menu has its own hint.
 */
export function renderSection(catalog: Catalog, service: Service, aspect: AspectName, options: { footer?: boolean } = {}): Reply {
  const heading = `*${sectionLabel(aspect)}*\n${service.name}`;
  const body = `${heading}\n\n${renderSectionBody(service, aspect)}`;
  return { text: options.footer === false ? body : `${body}\n\n${catalog.texts.sectionFooter}` };
}

function renderSectionBody(service: Service, aspect: AspectName): string {
  switch (aspect) {
    case 'requirements':
      return withNotes(numberedList(service.requirements.items), service.requirements.notes);
    case 'procedure':
      return `${numberedList(service.procedure.steps)}\n\nAlur: ${service.procedure.diagram.join(' → ')}`;
    case 'completionTime':
      return service.completionTime.items
        .map((item) => (item.label ? `${item.label}: ${item.duration}` : item.duration))
        .join('\n');
    case 'fee':
      return service.fee.amount === 0 ? `${service.fee.text} (tidak dipungut biaya)` : service.fee.text;
    case 'complaintHandling':
      return [
        `Pengaduan dapat disampaikan melalui:\n${numberedList(service.complaintHandling.channels)}`,
        `Alur penanganan pengaduan: ${service.complaintHandling.flow.join(' → ')}`,
        `Jangka waktu penyelesaian pengaduan:\n${numberedList(service.complaintHandling.deadlines)}`,
      ].join('\n\n');
    case 'staffCount':
      return service.staffCount.text;
    default: {
      // A single entry, such as the one product of a service, reads better without "1.".
      const section = service[aspect];
      const body = section.items.length === 1 ? plainItem(section.items[0]!) : numberedList(section.items);
      return withNotes(body, section.notes);
    }
  }
}

/** Formats a list one entry per line as `N. text`, with an entry's note on the next line. */
export function numberedList(items: ReadonlyArray<ListItem | string>): string {
  return items
    .map((item, index) => {
      const entry = typeof item === 'string' ? { text: item, note: undefined } : item;
      const line = `${index + 1}. ${entry.text}`;
      return entry.note ? `${line}\n   Keterangan: ${entry.note}` : line;
    })
    .join('\n');
}

function plainItem(item: ListItem): string {
  return item.note ? `${item.text}\n${item.note}` : item.text;
}

function withNotes(body: string, notes: string[] | undefined): string {
  if (!notes || notes.length === 0) return body;
  return `${body}\n\n${notes.map((note) => `Catatan: ${note}`).join('\n')}`;
}

/** Returns the office's address, channels and hours. */
export function renderContact(catalog: Catalog): Reply {
  const { office } = catalog;
  return {
    text: fillText(catalog.texts.contactBody, {
      officeName: office.name,
      address: office.address,
      city: office.city,
      whatsapp: office.whatsapp,
      telephone: office.telephone,
      website: office.website,
      email: office.email,
      hours: formatOfficeHours(office),
    }),
  };
}

/** Returns the office hours alone. */
export function renderHours(catalog: Catalog): Reply {
  return {
    text: fillText(catalog.texts.hoursBody, {
      officeShortName: catalog.office.shortName,
      hours: formatOfficeHours(catalog.office),
    }),
  };
}

const dayNames: Record<Weekday, string> = {
  monday: 'Senin',
  tuesday: 'Selasa',
  wednesday: 'Rabu',
  thursday: 'Kamis',
  friday: 'Jumat',
  saturday: 'Sabtu',
  sunday: 'Minggu',
};

/**
 * Formats the office hours one line per run of weekdays with the same periods, e.g.
 * "Senin–Kamis: 07.30–12.00 dan 13.00–16.00 WIB".
 */
export function formatOfficeHours(office: Office): string {
  const days = Object.keys(dayNames) as Weekday[];
  const describe = (day: Weekday) =>
    office.officeHours[day].map((period) => `${toDotted(period.start)}–${toDotted(period.end)}`).join(' dan ');

  const lines: string[] = [];
  let runStart = 0;
  for (let index = 1; index <= days.length; index++) {
    const runDay = days[runStart]!;
    if (index < days.length && describe(days[index]!) === describe(runDay)) continue;
    const lastDay = days[index - 1]!;
    const name = runDay === lastDay ? dayNames[runDay] : `${dayNames[runDay]}–${dayNames[lastDay]}`;
    const hours = describe(runDay);
    lines.push(hours ? `${name}: ${hours} ${office.timeZoneLabel}` : `${name}: tutup`);
    runStart = index;
  }
  lines.push('Hari libur nasional dan cuti bersama: tutup');
  return lines.join('\n');
}

function toDotted(time: string): string {
  return time.replace(':', '.');
}

/** Returns the service with that number; the catalog loader guarantees 1..n without gaps. */
export function serviceByNumber(catalog: Catalog, number: number): Service {
  const service = catalog.services[number - 1];
  if (!service) throw new Error(`No service number ${number} in office ${catalog.office.id}`);
  return service;
}
