import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../../src/catalog/load.js';
import { officeDir } from '../support/harness.js';

/** Copies the shipped office folder to a temporary one that a test may break. */
function copyOffice(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sapa-layanan-office-'));
  cpSync(officeDir, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Loads the folder and returns the CatalogError it must raise. */
async function loadError(dir: string): Promise<CatalogError> {
  try {
    await loadCatalog(dir);
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('loadCatalog accepted a broken folder');
}

describe('loadCatalog errors', () => {
  it('missing field names file and field', async () => {
    const dir = copyOffice();
    const file = path.join(dir, 'services', '03-pertek-usp.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^name: .*$/m, ''));
    const error = await loadError(dir);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.file).toContain('03-pertek-usp.yaml');
    expect(error.issues[0]!.field).toBe('name');
  });

  it('bad indentation is invalid YAML', async () => {
    const dir = copyOffice();
    const file = path.join(dir, 'services', '03-pertek-usp.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('requirements:\n  items:', 'requirements:\n items:\n   - x\n  items:'));
    const error = await loadError(dir);
    expect(error.issues[0]!.message).toMatch(/^invalid YAML: .*line \d+, column \d+$/);
    expect(error.issues.every((issue) => issue.file.endsWith('03-pertek-usp.yaml'))).toBe(true);
  });

  it('missing service file names the gap once', async () => {
    const dir = copyOffice();
    unlinkSync(path.join(dir, 'services', '03-pertek-usp.yaml'));
    const error = await loadError(dir);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.message).toContain('service 3 is missing');
  });

  it('unknown text placeholder is rejected', async () => {
    const dir = copyOffice();
    const file = path.join(dir, 'texts.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Nomor tiket: *{ticket}*', 'Nomor tiket: *{tiket}*'));
    const error = await loadError(dir);
    expect(error.issues.map((issue) => issue.message)).toContain('unknown placeholder {tiket} (allowed: {ticket}, {pin}, {dueText})');
  });
});
