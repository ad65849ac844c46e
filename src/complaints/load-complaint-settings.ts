import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { CatalogError, type CatalogIssue } from '../catalog/load.js';
import { complaintSettingsSchema, type ComplaintSettings } from './complaint-settings.js';

/** File name of the complaint settings inside an office folder. */
export const complaintSettingsFileName = 'complaints.yaml';

/**
 * Reads and validates `complaints.yaml` in an office folder (such as
 * `flows/diskopukm-kalbar`). Throws one CatalogError that lists every problem: an unreadable
 * file, invalid YAML or fields that fail complaintSettingsSchema.
 */
export async function loadComplaintSettings(officeDir: string): Promise<ComplaintSettings> {
  const file = path.join(officeDir, complaintSettingsFileName);
  const shown = path.relative(process.cwd(), file) || file;
  const fail = (issues: Array<Omit<CatalogIssue, 'file'>>) =>
    new CatalogError(issues.map((issue) => ({ file: shown, ...issue })));

  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw fail([{ field: '', message: `cannot read file: ${(error as Error).message}` }]);
  }

  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw fail(document.errors.map((error) => ({ field: '', message: `invalid YAML: ${error.message.split('\n')[0]}` })));
  }

  const result = complaintSettingsSchema.safeParse(document.toJS());
  if (!result.success) {
    throw fail(result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })));
  }
  return result.data;
}
