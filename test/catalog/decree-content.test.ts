import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceSchema, type Service } from '../../src/catalog/schema.js';
import {
  decreeComplaintChannelCount,
  decreeComplaintDeadlineCount,
  decreeComplaintFlow,
  decreeFacts,
} from '../fixtures/decree-facts.js';

const servicesDir = fileURLToPath(new URL('../../flows/diskopukm-kalbar/services/', import.meta.url));
const serviceFiles = readdirSync(servicesDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const parsedFiles = serviceFiles.map((file) => ({
  file,
  result: serviceSchema.safeParse(parse(readFileSync(path.join(servicesDir, file), 'utf8'))),
}));

/** Flow-chart box labels of the decree, whole and as the single PDF lines they were broken into. */
const flowChartLabels = [
  'Tamu/ Pengguna Layanan',
  'Petugas Informasi',
  'Petugas Informasi / Subbag, Umpar',
  'Petugas pada Bidang',
  'Menerima layanan konsultasi',
  'Menerima layanan Permintaan Data/Informasi',
  'Menerima berkas permohonan dari DPMPTSP Prov. Kalbar',
  'Penerbitan Pertimbangan Teknis Ijin',
  'Menyampaikan Dokumen Pertimbangan Teknis Ijin ke DPMPTSP Prov. Kalbar',
  'Menerima surat dan jadwal rapat/audiensi',
  'Menerima surat dan jadwal penyuluhan',
  ...decreeComplaintFlow,
  'Subbag, Umpar',
  'Petugas pada',
  'Tim Pengelola',
  'menerima jawaban',
  'Aduan secara',
  'Lisan/ Telepon/',
  'menerima Aduan',
  'Dokumen Pertimbangan',
  'permohonan dari',
  'Menerima surat dan',
];

/** Phrases of the decree's body text that contain a box label legitimately. The label check removes them first. */
const bodyPhrasesWithLabels = ['menuju ke Petugas Informasi', 'Menerima layanan konsultasi dari'];

/** Fields holding flow-chart labels, where the labels belong. */
const flowChartFields = ['procedure.diagram', 'complaintHandling.flow'];

const listMarker = /^\(?(?:[a-z]|\d{1,2})[.)](?:\s|$)/i;
const pageNumber = /^\d+\.?$/;

interface FieldText {
  /** Dotted path inside the service, such as `requirements.items.2.text`. */
  field: string;
  text: string;
}

/** Collects every citizen-facing string of a service with its path, so it skips `id` and `keywords`. */
function collectTexts(value: unknown, field = ''): FieldText[] {
  if (typeof value === 'string') return [{ field, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => collectTexts(item, `${field}.${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => field !== '' || (key !== 'id' && key !== 'keywords'))
      .flatMap(([key, item]) => collectTexts(item, field === '' ? key : `${field}.${key}`));
  }
  return [];
}

function findService(number: number): Service {
  const entry = parsedFiles.find(({ result }) => result.success && result.data.number === number);
  if (!entry?.result.success) throw new Error(`service ${number} is missing or invalid in ${servicesDir}: see the schema tests above`);
  return entry.result.data;
}

function formatCompletionTime(item: Service['completionTime']['items'][number]): string {
  return item.label === undefined ? item.duration : `${item.label}: ${item.duration}`;
}

function isFlowChartField(field: string): boolean {
  return flowChartFields.some((prefix) => field.startsWith(`${prefix}.`));
}

describe('service files', () => {
  it('file count', () => {
    expect(serviceFiles).toHaveLength(decreeFacts.length);
  });

  it.each(parsedFiles)('$file schema', ({ result }) => {
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it.each(parsedFiles)('$file number prefix', ({ file, result }) => {
    expect(result.data?.number).toBe(Number(file.slice(0, 2)));
  });
});

describe.each(decreeFacts)('service $number', (facts) => {
  const service = () => findService(facts.number);
  const texts = () => collectTexts(service());

  it('name', () => {
    expect(service().name).toBe(facts.name);
  });

  it('requirement count', () => {
    expect(service().requirements.items).toHaveLength(facts.requirementCount);
  });

  it('first requirement', () => {
    expect(service().requirements.items[0]?.text).toBe(facts.firstRequirement);
  });

  it('last requirement', () => {
    expect(service().requirements.items.at(-1)?.text).toBe(facts.lastRequirement);
  });

  it('procedure step count', () => {
    expect(service().procedure.steps).toHaveLength(facts.procedureStepCount);
  });

  it('completion time', () => {
    expect(service().completionTime.items.map(formatCompletionTime)).toEqual(facts.completionTime);
  });

  it('fee', () => {
    expect(service().fee.amount).toBe(facts.fee);
  });

  it('staff count', () => {
    expect(service().staffCount.count).toBe(facts.staffCount);
  });

  it('legal basis count', () => {
    expect(service().legalBasis.items).toHaveLength(facts.legalBasisCount);
  });

  it('product', () => {
    expect(service().product.items[0]?.text).toBe(facts.product);
  });

  it('complaint flow', () => {
    expect(service().complaintHandling.flow).toEqual(decreeComplaintFlow);
  });

  it('complaint channel count', () => {
    expect(service().complaintHandling.channels).toHaveLength(decreeComplaintChannelCount);
  });

  it('complaint deadline count', () => {
    expect(service().complaintHandling.deadlines).toHaveLength(decreeComplaintDeadlineCount);
  });

  it('complaint box address', () => {
    const complaintBox = service().complaintHandling.channels.find((channel) => channel.includes('Kotak Pengaduan'));
    expect(complaintBox).toContain('Jl. Sutan Syahrir No. 5 Pontianak');
  });

  it('no stray flow-chart labels', () => {
    const strays = texts()
      .filter(({ field }) => !isFlowChartField(field))
      .flatMap(({ field, text }) => {
        const body = bodyPhrasesWithLabels.reduce((rest, phrase) => rest.replaceAll(phrase, ''), text);
        return flowChartLabels.filter((label) => body.includes(label)).map((label) => `${field}: ${label}`);
      });
    expect(strays).toEqual([]);
  });

  it('no list markers', () => {
    expect(texts().filter(({ text }) => listMarker.test(text))).toEqual([]);
  });

  it('no page numbers', () => {
    expect(texts().filter(({ text }) => pageNumber.test(text))).toEqual([]);
  });

  it('no doubled spaces', () => {
    expect(texts().filter(({ text }) => /\s{2}/.test(text))).toEqual([]);
  });

  it('no Faximile slip', () => {
    expect(texts().filter(({ text }) => /faximile/i.test(text))).toEqual([]);
  });
});

describe('service 2 complaint channels', () => {
  it('website replaces Faximile slip', () => {
    expect(findService(2).complaintHandling.channels).toContain('Website : diskopukm.kalbarprov.go.id');
  });
});
