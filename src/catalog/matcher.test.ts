import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AspectName } from './lexicon-schema.js';
import { loadCatalog, type Catalog } from './load.js';
import { maxReadCharacters } from './match-words.js';
import { createMatcher, type Intent, type Matcher } from './matcher.js';
import type { Service } from './schema.js';
import { parseTicketNumber } from '../complaints/ticket-number.js';
import { aspectsByLabel, loadFirstMessages, type Example } from '../../test/fixtures/first-messages.js';

const officeDir = fileURLToPath(new URL('../../flows/diskopukm-kalbar/', import.meta.url));

const examples = loadFirstMessages();

const intentKinds = [
  'greeting',
  'thanks',
  'help',
  'service',
  'ambiguous',
  'complaint',
  'status',
  'contact',
  'hours',
  'fee',
  'unknown',
] as const;

function toAspect(label: string | undefined): { aspect?: AspectName } {
  return label ? { aspect: aspectsByLabel[label]! } : {};
}

function toExpectedIntent(example: Example): Intent {
  const expected = example.expect;
  if (typeof expected === 'object') return { kind: 'service', service: expected.service, ...toAspect(expected.aspect) };
  if (expected === 'fallback') return { kind: 'unknown' };
  if (expected === 'ambiguous') {
    return { kind: 'ambiguous', candidates: example.candidates ?? [], ...toAspect(example.aspect) };
  }
  if (expected === 'status') return example.ticket ? { kind: 'status', ticket: example.ticket } : { kind: 'status' };
  return { kind: expected };
}

/** Returns services that match only the given keywords, so a rule can be tested apart from the office's wording. */
function withKeywords(services: Service[], keywordsByNumber: string[][]): Service[] {
  return keywordsByNumber.map((keywords, index) => ({
    ...services[index]!,
    number: index + 1,
    name: `Layanan${index + 1}`,
    shortName: `Layanan${index + 1}`,
    keywords,
  }));
}

let catalog: Catalog;
let matcher: Matcher;

beforeAll(async () => {
  catalog = await loadCatalog(officeDir);
  matcher = createMatcher(catalog);
});

describe('matcher on citizen first messages', () => {
  it.each(examples)('reads $text', (example) => {
    const expected = toExpectedIntent(example);
    if (expected.kind === 'status' && !example.ticket) {
      expect(matcher.match(example.text)).toMatchObject({ kind: 'status' });
    } else {
      expect(matcher.match(example.text)).toEqual(expected);
    }
  });
});

describe('matcher typo tolerance', () => {
  it.each([
    ['persyaratann usp', { kind: 'service', service: 3, aspect: 'requirements' }],
    ['persyaratn pembukan kantor kas', { kind: 'service', service: 6, aspect: 'requirements' }],
    ['konsltasii', { kind: 'service', service: 1 }],
    ['narasummbr', { kind: 'service', service: 8 }],
    ['penyuluhun', { kind: 'service', service: 8 }],
  ] as const)('corrects "%s"', (text, expected) => {
    expect(matcher.match(text)).toEqual(expected);
  });

  it('keeps four-letter words uncorrected', () => {
    expect(matcher.match('dana koperasi')).toEqual({ kind: 'unknown' });
  });

  it('never corrects a stopword', () => {
    expect(matcher.match('apakah saya dapat bertemu')).toEqual({ kind: 'unknown' });
  });

  it('drops a particle ending', () => {
    expect(matcher.match('biayanya kantor kas')).toEqual({ kind: 'service', service: 6, aspect: 'fee' });
  });
});

describe('matcher abbreviations and spellings', () => {
  it.each([
    ['USP', 3],
    ['KSP', 3],
    ['KSPPS', 3],
    ['USPPS', 3],
    ['KCP', 5],
    ['pertek usp', 3],
    ['pertek kcp', 5],
    ['pertek kantor cabang', 4],
    ['pertek kantor kas', 6],
  ] as const)('reads "%s" as service %i', (text, service) => {
    expect(matcher.match(text)).toEqual({ kind: 'service', service });
  });

  it('reads ijin as izin', () => {
    expect(matcher.match('syarat ijin usp')).toEqual(matcher.match('syarat izin usp'));
  });

  it('reads keyword words in any order', () => {
    expect(matcher.match('simpan pinjam koperasi')).toEqual({ kind: 'service', service: 3 });
  });

  it('reads a chat abbreviation', () => {
    expect(matcher.match('brp hari kantor kas')).toEqual({ kind: 'service', service: 6, aspect: 'completionTime' });
  });
});

describe('matcher unusual input', () => {
  it('reads fullwidth letters', () => {
    expect(matcher.match('ｓｙａｒａｔ ＵＳＰ')).toEqual({ kind: 'service', service: 3, aspect: 'requirements' });
  });

  it('reads a fullwidth ticket number', () => {
    expect(matcher.match('ＡＤＵ－２０２６－００００７')).toEqual({ kind: 'status', ticket: 'ADU-2026-00007' });
  });

  it('reads Latin words among Cyrillic', () => {
    expect(matcher.match('syarat узп usp')).toEqual({ kind: 'service', service: 3, aspect: 'requirements' });
  });

  it('reads Latin words among CJK', () => {
    expect(matcher.match('syarat 許可 kantor kas')).toEqual({ kind: 'service', service: 6, aspect: 'requirements' });
  });

  it('treats emoji only as unknown', () => {
    expect(matcher.match('😀🙏👍🏽')).toEqual({ kind: 'unknown' });
  });

  it('ignores emoji around words', () => {
    expect(matcher.match('🙏 syarat usp 🙏')).toEqual({ kind: 'service', service: 3, aspect: 'requirements' });
  });

  it('treats empty text as unknown', () => {
    expect(matcher.match('')).toEqual({ kind: 'unknown' });
  });

  it('treats whitespace as unknown', () => {
    expect(matcher.match(' \n\t  ')).toEqual({ kind: 'unknown' });
  });

  it('treats punctuation only as unknown', () => {
    expect(matcher.match('?!... ---')).toEqual({ kind: 'unknown' });
  });

  it('treats control characters as spaces', () => {
    expect(matcher.match('kantor\u0007kas\u0000')).toEqual({ kind: 'service', service: 6 });
  });

  it('ignores zero-width characters', () => {
    expect(matcher.match('\u200bhalo\u200b')).toEqual({ kind: 'greeting' });
  });

  it('treats control characters only as unknown', () => {
    expect(matcher.match('\u0000\u0001\u001b\u007f')).toEqual({ kind: 'unknown' });
  });

  it('reads a one-letter greeting only first', () => {
    expect(matcher.match('a b c p')).toEqual({ kind: 'unknown' });
  });
});

describe('matcher long input', () => {
  const junk = Array.from({ length: 2_000 }, (_, i) => ['asdfg', 'hjkle', 'zxcvb', 'poiuy', 'mnbvc'][i % 5]).join(' ');
  const tenThousandJunk = junk.slice(0, 10_000);

  it('treats 10,000 junk characters as unknown', () => {
    expect(matcher.match(tenThousandJunk)).toEqual({ kind: 'unknown' });
  });

  it('reads 10,000 junk characters quickly', () => {
    matcher.match(tenThousandJunk);
    const started = performance.now();
    matcher.match(tenThousandJunk);
    // A generous bound for a loaded CI machine. A local run takes a few milliseconds.
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('reads a question at the start', () => {
    expect(matcher.match(`syarat usp ${junk}`)).toEqual({ kind: 'service', service: 3, aspect: 'requirements' });
  });

  it('ignores text past the read limit', () => {
    const padding = 'x'.repeat(maxReadCharacters);
    expect(matcher.match(`${padding} syarat usp`)).toEqual({ kind: 'unknown' });
  });

  it('returns a known kind for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), (text) => {
        expect(intentKinds).toContain(matcher.match(text).kind);
      }),
    );
  });

  it('returns a known kind for any graphemes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (text) => {
        expect(intentKinds).toContain(matcher.match(text).kind);
      }),
    );
  });
});

describe('matcher keyword rules', () => {
  it('prefers the keyword with more words', () => {
    const services = withKeywords(catalog.services, [['kantor cabang'], ['kantor cabang pembantu']]);
    const match = createMatcher({ services, lexicon: catalog.lexicon }).match;
    expect(match('kantor cabang pembantu')).toEqual({ kind: 'service', service: 2 });
  });

  it('returns overlapping keywords as ambiguous', () => {
    const services = withKeywords(catalog.services, [['kantor cabang'], ['kantor kas']]);
    const match = createMatcher({ services, lexicon: catalog.lexicon }).match;
    expect(match('kantor cabang kas')).toEqual({ kind: 'ambiguous', candidates: [1, 2] });
  });

  it('reads each alternative of atau', () => {
    const services = withKeywords(catalog.services, [['kantor cabang'], ['kantor cabang pembantu']]);
    const match = createMatcher({ services, lexicon: catalog.lexicon }).match;
    expect(match('kantor cabang atau kantor cabang pembantu')).toEqual({ kind: 'ambiguous', candidates: [1, 2] });
  });

  it('leaves stopwords out of keywords', () => {
    const services = withKeywords(catalog.services, [['pertemuan dengan dinas']]);
    const match = createMatcher({ services, lexicon: catalog.lexicon }).match;
    expect(match('pertemuan dinas')).toEqual({ kind: 'service', service: 1 });
  });

  it('needs every keyword word', () => {
    const services = withKeywords(catalog.services, [['kantor kas']]);
    const match = createMatcher({ services, lexicon: catalog.lexicon }).match;
    expect(match('kantor')).toEqual({ kind: 'unknown' });
  });
});

describe('matcher precedence', () => {
  it.each([
    ['ticket over complaint', 'komplain lagi, ADU-2026-00042 belum dibalas', { kind: 'status', ticket: 'ADU-2026-00042' }],
    ['status over complaint', 'cek tiket pengaduan', { kind: 'status' }],
    ['complaint over service', 'mau komplain soal syarat usp', { kind: 'complaint' }],
    ['service over contact', 'alamat kantor kas koperasi', { kind: 'service', service: 6 }],
    ['fee word with service', 'izin usp gratis gak', { kind: 'service', service: 3, aspect: 'fee' }],
    ['contact over aspect', 'alamat untuk antar berkas', { kind: 'contact' }],
    ['aspect over greeting', 'halo, syaratnya apa aja', {
      kind: 'ambiguous',
      candidates: [1, 2, 3, 4, 5, 6, 7, 8],
      aspect: 'requirements',
    }],
    ['complaint handling alone', 'bagaimana alur pengaduan', { kind: 'complaint' }],
    ['help over greeting', 'halo, butuh bantuan', { kind: 'help' }],
    ['thanks over greeting', 'selamat sore, terima kasih', { kind: 'thanks' }],
    ['longer aspect phrase', 'berapa lama prosesnya kcp', { kind: 'service', service: 5, aspect: 'completionTime' }],
  ] as const)('%s', (_name, text, expected) => {
    expect(matcher.match(text)).toEqual(expected);
  });
});

describe('parseTicketNumber', () => {
  it.each([
    ['ADU-2026-00007', 'ADU-2026-00007'],
    ['adu 2026 7', 'ADU-2026-00007'],
    ['ADU 2026 42', 'ADU-2026-00042'],
    ['adu-2026-0042', 'ADU-2026-00042'],
    ['ADU–2026–00042', 'ADU-2026-00042'],
    ['adu/2026/42', 'ADU-2026-00042'],
    ['ADU202600007', 'ADU-2026-00007'],
    ['ＡＤＵ－２０２６－００００７', 'ADU-2026-00007'],
    ['tiket saya ADU-2026-00123 belum dibalas', 'ADU-2026-00123'],
    ['(ADU-2027-99999)', 'ADU-2027-99999'],
  ])('reads "%s"', (text, ticket) => {
    expect(parseTicketNumber(text)).toBe(ticket);
  });

  it.each([
    ['word starting with adu', 'aduan 2026 7'],
    ['adu inside a word', 'kadu-2026-7'],
    ['sequence zero', 'ADU-2026-00000'],
    ['six-digit sequence', 'ADU-2026-123456'],
    ['year before 2000', 'ADU-1999-00001'],
    ['missing sequence', 'ADU-2026'],
    ['empty text', ''],
  ])('rejects %s', (_name, text) => {
    expect(parseTicketNumber(text)).toBeUndefined();
  });
});
