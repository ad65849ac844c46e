import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { complaintSettingsSchema, type ComplaintSettings } from '../complaints/complaint-settings.js';
import { answerTemplatesSchema, rosterSchema, type AnswerTemplate, type RosterData } from '../officers/roster-schema.js';
import { lexiconSchema, type Lexicon } from './lexicon-schema.js';
import { officeSchema, serviceSchema, type Office, type Service } from './schema.js';
import { textsSchema, type Texts } from './texts-schema.js';

/** An office's content, loaded from `flows/<office>/` and validated. */
export interface Catalog {
  office: Office;
  /** Services in the decree's order; `services[i].number === i + 1`. */
  services: Service[];
  texts: Texts;
  lexicon: Lexicon;
  /** Complaint classes, deadlines, status labels and filing limits. */
  complaints: ComplaintSettings;
  /** Officers and their group chats, from officers.yaml; `Roster.fromCatalog` answers questions about them. */
  officers: RosterData;
  /** Saved answers officers send with `jawab <tiket> #<name>`, from answer-templates.yaml. */
  answerTemplates: AnswerTemplate[];
}

/** One problem found in a content file. */
export interface CatalogIssue {
  file: string;
  /** Dotted path of the field inside the file, empty for the whole file. */
  field: string;
  message: string;
}

/** Raised when an office folder has invalid or missing content; lists every problem found. */
export class CatalogError extends Error {
  constructor(readonly issues: CatalogIssue[]) {
    super(
      `Invalid office content (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  ${issue.file}: ${issue.field || '(file)'}: ${issue.message}`).join('\n'),
    );
    this.name = 'CatalogError';
  }
}

/**
 * Loads and validates an office folder: `office.yaml`, `texts.yaml`, `lexicon.yaml`,
 * `complaints.yaml`, `officers.yaml`, `answer-templates.yaml` and every `services/*.yaml`. Collects all problems before throwing one CatalogError, so a
 * content editor sees every mistake in one run.
 */
export async function loadCatalog(officeDir: string): Promise<Catalog> {
  const issues: CatalogIssue[] = [];
  const display = (file: string) => path.relative(process.cwd(), file) || file;

  const office = await loadYamlFile(path.join(officeDir, 'office.yaml'), officeSchema, issues, display);
  const texts = await loadYamlFile(path.join(officeDir, 'texts.yaml'), textsSchema, issues, display);
  const lexicon = await loadYamlFile(path.join(officeDir, 'lexicon.yaml'), lexiconSchema, issues, display);
  const complaints = await loadYamlFile(path.join(officeDir, 'complaints.yaml'), complaintSettingsSchema, issues, display);
  const officers = await loadYamlFile(path.join(officeDir, 'officers.yaml'), rosterSchema, issues, display);
  const templates = await loadYamlFile(path.join(officeDir, 'answer-templates.yaml'), answerTemplatesSchema, issues, display);

  const servicesDir = path.join(officeDir, 'services');
  let serviceFiles: string[] = [];
  try {
    serviceFiles = (await readdir(servicesDir)).filter((name) => name.endsWith('.yaml')).sort();
  } catch (error) {
    issues.push({ file: display(servicesDir), field: '', message: `cannot read folder: ${(error as Error).message}` });
  }

  const services: Service[] = [];
  for (const name of serviceFiles) {
    const file = path.join(servicesDir, name);
    const service = await loadYamlFile(file, serviceSchema, issues, display);
    if (service) services.push(service);
  }
  services.sort((a, b) => a.number - b.number);
  // A file that failed to load would show up again as a gap in the numbering: check the
  // numbering only when every service file loaded.
  if (services.length === serviceFiles.length) checkServiceNumbering(services, display(servicesDir), issues);

  if (issues.length > 0 || !office || !texts || !lexicon || !complaints || !officers || !templates) throw new CatalogError(issues);
  return { office, services, texts, lexicon, complaints, officers, answerTemplates: templates.templates };
}

async function loadYamlFile<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
  issues: CatalogIssue[],
  display: (file: string) => string,
): Promise<z.output<Schema> | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    issues.push({ file: display(file), field: '', message: `cannot read file: ${(error as Error).message}` });
    return undefined;
  }

  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const firstLine = error.message.split('\n')[0]!.replace(/:$/, '');
      issues.push({ file: display(file), field: '', message: `invalid YAML: ${firstLine}` });
    }
    return undefined;
  }

  const result = schema.safeParse(document.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      issues.push({ file: display(file), field: issue.path.join('.'), message: issue.message });
    }
    return undefined;
  }
  return result.data;
}

function checkServiceNumbering(services: Service[], folder: string, issues: CatalogIssue[]): void {
  if (services.length === 0) {
    issues.push({ file: folder, field: '', message: 'no service files found' });
    return;
  }
  // Report the first break in the numbering only, because every later service shifts with it.
  const broken = services.findIndex((service, index) => service.number !== index + 1);
  if (broken >= 0) {
    const service = services[broken]!;
    issues.push({
      file: folder,
      field: 'number',
      message: `services must be numbered 1 to ${services.length} without gaps: service ${broken + 1} is missing or misnumbered (found ${service.number}, ${service.id})`,
    });
  }
  const ids = new Set<string>();
  for (const service of services) {
    if (ids.has(service.id)) issues.push({ file: folder, field: 'id', message: `duplicate service id ${service.id}` });
    ids.add(service.id);
  }
}
