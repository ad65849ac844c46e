import { describe, expect, it } from 'vitest';
import { complaintStatuses, type ComplaintStatus } from '../../src/complaints/complaint.js';
import { ComplaintError } from '../../src/complaints/errors.js';
import { assertTransition, canTransition, finalStatuses } from '../../src/complaints/lifecycle.js';

/** The lifecycle written out pair by pair, independently of the table in lifecycle.ts. */
const allowed = new Set<`${ComplaintStatus}->${ComplaintStatus}`>([
  'diterima->diverifikasi',
  'diterima->ditolak',
  'diterima->dialihkan',
  'diverifikasi->diproses',
  'diverifikasi->ditolak',
  'diverifikasi->dialihkan',
  'diproses->dijawab',
  'diproses->ditolak',
  'diproses->dialihkan',
  'dijawab->selesai',
  'dijawab->diproses',
]);

const pairs = complaintStatuses.flatMap((from) => complaintStatuses.map((to) => ({ from, to, ok: allowed.has(`${from}->${to}`) })));

describe('complaint lifecycle', () => {
  it('covers all 49 pairs, 11 of them allowed', () => {
    expect(pairs).toHaveLength(49);
    expect(pairs.filter((pair) => pair.ok)).toHaveLength(11);
  });

  it.each(pairs.filter((pair) => pair.ok))('allows $from -> $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition('ADU-2026-00001', from, to)).not.toThrow();
  });

  it.each(pairs.filter((pair) => !pair.ok))('forbids $from -> $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertTransition('ADU-2026-00001', from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ComplaintError);
    expect(thrown).toMatchObject({ code: 'transition-not-allowed', ticket: 'ADU-2026-00001' });
    expect((thrown as Error).message).toContain(`from ${from} to ${to}`);
  });

  it('has no way out of the final statuses', () => {
    expect([...finalStatuses].sort()).toEqual(['dialihkan', 'ditolak', 'selesai']);
    for (const from of finalStatuses) {
      expect(complaintStatuses.filter((to) => canTransition(from, to))).toEqual([]);
    }
  });
});
