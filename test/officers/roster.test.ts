import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, type Catalog } from '../../src/catalog/load.js';
import { Roster } from '../../src/officers/roster.js';
import { wib } from '../calendar/office-calendar.js';
import { loadShippedCatalog, officeDir } from '../support/harness.js';

let catalog: Catalog;
let roster: Roster;

beforeAll(async () => {
  catalog = await loadShippedCatalog();
  roster = Roster.fromCatalog(catalog);
});

const ids = (officers: Array<{ id: string }>) => officers.map((officer) => officer.id);

describe('shipped roster', () => {
  it('has the demo officer on the web simulator', () => {
    const demo = roster.findByAddress('web', 'petugas-demo');
    expect(demo?.id).toBe('petugas-demo');
    expect(demo?.roles).toEqual(['pengelola_pengaduan', 'tim_pengelola']);
  });

  it('covers every role', () => {
    for (const role of ['pengelola_pengaduan', 'tim_pengelola', 'atasan', 'sekretaris', 'kepala_dinas', 'pengendali_gratifikasi', 'admin'] as const) {
      expect(roster.officersWithRole(role, wib('2026-12-07T09:00')), role).not.toEqual([]);
    }
  });
});

describe('Roster', () => {
  it('finds officers by id and address', () => {
    expect(roster.find('Budi')?.name).toContain('Budi');
    expect(roster.find('nobody')).toBeUndefined();
    expect(roster.findByAddress('whatsapp', '6281200000002')?.id).toBe('budi');
    expect(roster.findByAddress('whatsapp', '+62 812-0000-0002')?.id).toBe('budi');
    expect(roster.findByAddress('whatsapp', '6281200000002:7@s.whatsapp.net')?.id).toBe('budi');
    expect(roster.findByAddress('telegram', '100000003')?.id).toBe('sari');
    expect(roster.findByAddress('telegram', '6281200000002')).toBeUndefined();
    expect(roster.findByAddress('web', 'warga-1')).toBeUndefined();
  });

  it('lists every address of an officer', () => {
    expect(roster.addressesOf(roster.find('rina')!)).toEqual([
      { channel: 'whatsapp', userId: '6281200000001' },
      { channel: 'telegram', userId: '100000001' },
    ]);
  });

  it('replaces an absent officer by the backup', () => {
    // budi is away 21-31 December 2026 with sari as Plt.; dates are inclusive in WIB.
    expect(ids(roster.officersWithRole('tim_pengelola', wib('2026-12-20T23:59')))).toEqual(['petugas-demo', 'budi', 'sari']);
    expect(ids(roster.officersWithRole('tim_pengelola', wib('2026-12-21T00:00')))).toEqual(['petugas-demo', 'sari']);
    expect(ids(roster.officersWithRole('tim_pengelola', wib('2026-12-31T23:59')))).toEqual(['petugas-demo', 'sari']);
    expect(ids(roster.officersWithRole('tim_pengelola', wib('2027-01-01T00:00')))).toEqual(['petugas-demo', 'budi', 'sari']);
    expect(roster.actingFor(roster.find('budi')!, wib('2026-12-24T09:00')).id).toBe('sari');
    expect(roster.isAbsent(roster.find('budi')!, wib('2026-12-24T09:00'))).toBe(true);
  });

  it('filters by field', () => {
    const at = wib('2026-12-07T09:00');
    expect(ids(roster.officersWithRole('atasan', at, { field: 'Pengawasan' }))).toEqual(['hendra']);
    expect(ids(roster.officersWithRole('tim_pengelola', at, { field: 'Pengawasan' }))).toEqual(['sari']);
    expect(roster.officersWithRole('atasan', at, { field: 'Keuangan' })).toEqual([]);
  });

  it('lists groups by event', () => {
    expect(roster.groupsFor('complaint-reopened').map((group) => group.id)).toEqual(['tim-pengaduan']);
    expect(roster.groupsFor('report')).toEqual([]);
    expect(roster.addressesOf(roster.groups[0]!)).toEqual([{ channel: 'telegram', userId: '-100000000001' }]);
  });

  it('shows a confidential citizen to the complaint manager only', () => {
    expect(roster.canSeeIdentity(roster.find('rina')!, { identity: 'confidential' })).toBe(true);
    expect(roster.canSeeIdentity(roster.find('budi')!, { identity: 'confidential' })).toBe(false);
    expect(roster.canSeeIdentity(roster.find('budi')!, { identity: 'named' })).toBe(true);
  });

  it('ends a backup cycle at the officer', () => {
    const cyclic = new Roster(
      {
        officers: [
          { id: 'a', name: 'A', roles: ['tim_pengelola'], addresses: { web: 'a' }, absences: [{ from: '2026-01-01', until: '2026-12-31', backup: 'b' }] },
          { id: 'b', name: 'B', roles: ['tim_pengelola'], addresses: { web: 'b' }, absences: [{ from: '2026-01-01', until: '2026-12-31', backup: 'a' }] },
        ],
        groups: [],
      },
      { timeZone: 'Asia/Pontianak' },
    );
    expect(cyclic.actingFor(cyclic.find('a')!, wib('2026-06-01T09:00')).id).toBe('a');
    expect(ids(cyclic.officersWithRole('tim_pengelola', wib('2026-06-01T09:00')))).toEqual(['a', 'b']);
  });
});

describe('officers.yaml validation', () => {
  const copies: string[] = [];
  afterEach(() => {
    for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Loads a copy of the shipped office whose officers.yaml has `replace` applied, and returns the problems. */
  async function problemsAfter(replace: (source: string) => string): Promise<string[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'sapa-roster-'));
    copies.push(dir);
    cpSync(officeDir, dir, { recursive: true });
    const file = path.join(dir, 'officers.yaml');
    const source = readFileSync(file, 'utf8');
    const changed = replace(source);
    expect(changed).not.toBe(source);
    writeFileSync(file, changed);
    try {
      await loadCatalog(dir);
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      return error.issues.map((issue) => `${path.basename(issue.file)}: ${issue.field}: ${issue.message}`);
    }
    throw new Error('loadCatalog accepted a broken roster');
  }

  it.each([
    ['unknown role', (s: string) => s.replace('roles: [sekretaris]', 'roles: [sekretariat]'), 'officer yuliana: unknown role "sekretariat"'],
    ['duplicate id', (s: string) => s.replace('- id: agus', '- id: kadis'), 'officer kadis: duplicate id, already used by officer number 7'],
    ['duplicate address', (s: string) => s.replace('whatsapp: "6281200000003"', 'whatsapp: "6281200000002"'), 'officer sari: whatsapp address 6281200000002 is also listed for officer budi'],
    ['missing backup', (s: string) => s.replace('backup: sari', 'backup: siti'), 'officer budi: backup "siti" is not an officer'],
    ['absence out of order', (s: string) => s.replace('until: "2026-12-31"', 'until: "2026-12-01"'), 'officer budi: absence ends (until 2026-12-01) before it starts (from 2026-12-21)'],
    ['invalid date', (s: string) => s.replace('from: "2026-12-21"', 'from: "2026-02-30"'), 'officers.2.absences.0.from: is not a date in the calendar'],
    ['invalid number', (s: string) => s.replace('whatsapp: "6281200000004"', 'whatsapp: "081200000004"'), 'officers.4.addresses.whatsapp: must be the number in international form'],
    ['unknown event', (s: string) => s.replace('events: [complaint-filed,', 'events: [complaint-new,'), 'group tim-pengaduan: unknown event "complaint-new"'],
  ])('%s is named', async (_name, replace, expected) => {
    const problems = await problemsAfter(replace);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^officers\.yaml: /);
    expect(problems[0]).toContain(expected);
  });

  it('needs a complaint manager', async () => {
    const problems = await problemsAfter((s) => s.replaceAll('pengelola_pengaduan, ', '').replace('roles: [pengelola_pengaduan]', 'roles: [admin]'));
    expect(problems).toEqual(['officers.yaml: officers: no officer has the role pengelola_pengaduan, so new and reopened complaints would reach no one']);
  });
});
