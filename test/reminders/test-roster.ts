import { rosterSchema } from '../../src/officers/roster-schema.js';
import { Roster } from '../../src/officers/roster.js';

/** An officer of a test roster: the id is also its web simulator user, so tests read its messages with takeOutbound. */
export interface TestOfficer {
  id: string;
  name?: string;
  roles: string[];
  field?: string;
  fields?: string[];
  absences?: Array<{ from: string; until: string; backup: string }>;
}

/** Builds a validated roster of officers reachable on the web channel, plus optional group chats. */
export function testRoster(officers: TestOfficer[], groups: unknown[] = []): Roster {
  const data = rosterSchema.parse({
    officers: officers.map((officer) => ({
      name: officer.id,
      ...officer,
      addresses: { web: officer.id },
    })),
    groups,
  });
  return new Roster(data, { timeZone: 'Asia/Pontianak' });
}

/** One officer per role, the atasan each over one field. */
export function standardTestRoster(groups: unknown[] = []): Roster {
  return testRoster(
    [
      { id: 'pengelola', roles: ['pengelola_pengaduan'] },
      { id: 'tim-1', roles: ['tim_pengelola'], field: 'Kelembagaan' },
      { id: 'atasan-kelembagaan', roles: ['atasan'], field: 'Kelembagaan' },
      { id: 'atasan-umum', roles: ['atasan'], field: 'Umum' },
      { id: 'sekretaris', roles: ['sekretaris'] },
      { id: 'kadis', roles: ['kepala_dinas'] },
      { id: 'gratifikasi', roles: ['pengendali_gratifikasi'] },
    ],
    groups,
  );
}
