import type { AspectName } from './lexicon-schema.js';

/**
 * The fourteen components of a service standard in the order PermenPANRB 15/2014 lists
 * them, with the labels citizens read. The position in this list (1-based) is the number
 * of the component in a service's detail menu.
 */
export const serviceSections: ReadonlyArray<{ aspect: AspectName; label: string }> = [
  { aspect: 'requirements', label: 'Persyaratan' },
  { aspect: 'procedure', label: 'Sistem, mekanisme dan prosedur' },
  { aspect: 'completionTime', label: 'Jangka waktu penyelesaian' },
  { aspect: 'fee', label: 'Biaya/tarif' },
  { aspect: 'product', label: 'Produk pelayanan' },
  { aspect: 'complaintHandling', label: 'Penanganan pengaduan, saran dan masukan' },
  { aspect: 'legalBasis', label: 'Dasar hukum' },
  { aspect: 'facilities', label: 'Sarana, prasarana dan/atau fasilitas' },
  { aspect: 'competence', label: 'Kompetensi pelaksana' },
  { aspect: 'internalOversight', label: 'Pengawasan internal' },
  { aspect: 'staffCount', label: 'Jumlah pelaksana' },
  { aspect: 'serviceGuarantee', label: 'Jaminan pelayanan' },
  { aspect: 'safetyGuarantee', label: 'Jaminan keamanan dan keselamatan pelayanan' },
  { aspect: 'performanceEvaluation', label: 'Evaluasi kinerja pelaksana' },
];

/** Returns the label of a component, such as "Persyaratan". */
export function sectionLabel(aspect: AspectName): string {
  const section = serviceSections.find((entry) => entry.aspect === aspect);
  if (!section) throw new Error(`Unknown service section "${aspect}"`);
  return section.label;
}
