import type { Complaint } from '../../src/complaints/complaint.js';
import type { DirectoryOfficer, OfficerDirectory, Recipient } from '../../src/reminders/officer-directory.js';

/** An officer of the test roster: web simulator users only, so messages are read with takeOutbound. */
export interface TestOfficer extends DirectoryOfficer {
  /** Inclusive civil dates (office zone) of an absence, and who stands in. */
  absent?: { from: string; until: string; backup: string };
}

/**
 * A small roster for reminder tests, one officer per role, each reachable as the web
 * simulator user of its id.
 */
export class TestDirectory implements OfficerDirectory {
  constructor(private readonly officers: TestOfficer[]) {}

  static standard(): TestDirectory {
    return new TestDirectory([
      { id: 'pengelola', name: 'Pejabat Pengelola', roles: ['pengelola_pengaduan'] },
      { id: 'tim-1', name: 'Anggota Tim Satu', roles: ['tim_pengelola'], field: 'kelembagaan' },
      { id: 'atasan-kelembagaan', name: 'Kepala Bidang Kelembagaan', roles: ['atasan'], field: 'kelembagaan' },
      { id: 'atasan-umum', name: 'Kepala Bidang Umum', roles: ['atasan'], field: 'umum' },
      { id: 'sekretaris', name: 'Sekretaris Dinas', roles: ['sekretaris'] },
      { id: 'kadis', name: 'Kepala Dinas', roles: ['kepala_dinas'] },
      { id: 'gratifikasi', name: 'Pengendali Gratifikasi', roles: ['pengendali_gratifikasi'] },
    ]);
  }

  find(id: string): DirectoryOfficer | undefined {
    return this.officers.find((officer) => officer.id === id);
  }

  officersWithRole(role: string, at: Date, options: { field?: string } = {}): DirectoryOfficer[] {
    return this.officers
      .filter((officer) => officer.roles.includes(role) && (options.field === undefined || officer.field === options.field))
      .map((officer) => this.actingFor(officer, at));
  }

  actingFor(officer: DirectoryOfficer, at: Date): DirectoryOfficer {
    const absent = this.officers.find((each) => each.id === officer.id)?.absent;
    const date = at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Pontianak' });
    if (absent && absent.from <= date && date <= absent.until) return this.find(absent.backup) ?? officer;
    return officer;
  }

  addressesOf(officer: DirectoryOfficer): Recipient[] {
    return [{ channel: 'web', userId: officer.id }];
  }

  canSeeIdentity(officer: DirectoryOfficer, complaint: Complaint): boolean {
    return complaint.identity === 'named' || officer.roles.includes('pengelola_pengaduan');
  }
}
