/**
 * Maximum length of one Telegram message text, 4,096 characters after entity parsing. The
 * splitter measures the HTML source in UTF-16 code units, which is never shorter than what
 * Telegram counts, so a chunk within this limit is always accepted.
 */
export const maxMessageLength = 4096;

interface Token {
  text: string;
  kind: 'open' | 'close' | 'newline' | 'space' | 'other';
  /** Tag name of an `open` or `close` token. */
  tag?: string;
}

const markup = /<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&#?[a-zA-Z0-9]+;/g;
const graphemes = new Intl.Segmenter('id', { granularity: 'grapheme' });

/**
 * Splits a message in Telegram HTML into chunks of at most `limit` characters. It cuts after
 * a line break where one lies in the second half of a chunk, else after a space, else
 * between two characters. It never cuts inside a tag, an entity such as `&amp;` or a grapheme
 * (an emoji with its modifiers or a surrogate pair). A tag open at a cut is closed at the end
 * of the chunk and opened again at the start of the next one.
 */
export function splitHtml(html: string, limit = maxMessageLength): string[] {
  if (html.length <= limit) return [html];

  const tokens = tokenize(html);
  const chunks: string[] = [];
  let start = 0;
  let carried: Token[] = [];
  while (start < tokens.length) {
    const cut = findCut(tokens, start, carried, limit);
    const body = trimTrailingBlanks(tokens.slice(start, cut.end));
    const chunk = [...carried, ...body].map((token) => token.text).join('') + closingTags(cut.open);
    if (body.some((token) => token.kind !== 'open' && token.kind !== 'close')) chunks.push(chunk);

    carried = cut.open;
    start = cut.end;
    while (start < tokens.length && (tokens[start]!.kind === 'newline' || tokens[start]!.kind === 'space')) start++;
  }
  return chunks;
}

/** A place to cut: before token `end`, with the tags still open there. */
interface Cut {
  end: number;
  open: Token[];
}

/** Finds where the chunk that starts at token `start` ends, preferring line breaks to spaces to any boundary. */
function findCut(tokens: Token[], start: number, carried: Token[], limit: number): Cut {
  let open = [...carried];
  let length = carried.reduce((sum, token) => sum + token.text.length, 0);
  let lastNewline: Cut | undefined;
  let lastSpace: Cut | undefined;
  let lastAny: Cut | undefined;

  let index = start;
  for (; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (length + token.text.length > limit) break;
    length += token.text.length;
    open = applyTag(open, token);
    if (token.kind === 'open') continue;

    // A cut after this token must leave room to close the tags open here.
    if (length + closingTags(open).length > limit) continue;
    const cut = { end: index + 1, open };
    lastAny = cut;
    if (token.kind === 'newline') lastNewline = cut;
    if (token.kind === 'space') lastSpace = cut;
  }
  if (index === tokens.length) return { end: tokens.length, open: [] };

  const half = start + (index - start) / 2;
  const preferred = [lastNewline, lastSpace].find((cut) => cut !== undefined && cut.end >= half);
  // A token longer than the whole limit cannot occur with this renderer's tags, but the loop
  // must still move on, so such a token goes alone into a chunk.
  return preferred ?? lastNewline ?? lastSpace ?? lastAny ?? { end: start + 1, open: applyTag(open, tokens[start]!) };
}

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (const match of html.matchAll(markup)) {
    pushText(tokens, html.slice(position, match.index));
    const text = match[0];
    const tag = match[1]?.toLowerCase();
    if (tag === undefined) tokens.push({ text, kind: 'other' });
    else if (text.startsWith('</')) tokens.push({ text, kind: 'close', tag });
    else tokens.push({ text, kind: 'open', tag });
    position = match.index + text.length;
  }
  pushText(tokens, html.slice(position));
  return tokens;
}

function pushText(tokens: Token[], text: string): void {
  for (const { segment } of graphemes.segment(text)) {
    const kind = segment === '\n' || segment === '\r\n' ? 'newline' : /^\s$/.test(segment) ? 'space' : 'other';
    tokens.push({ text: segment, kind });
  }
}

function applyTag(open: Token[], token: Token): Token[] {
  if (token.kind === 'open') return [...open, token];
  if (token.kind === 'close') {
    const index = open.map((tag) => tag.tag).lastIndexOf(token.tag);
    return index < 0 ? open : [...open.slice(0, index), ...open.slice(index + 1)];
  }
  return open;
}

function closingTags(open: Token[]): string {
  return [...open]
    .reverse()
    .map((token) => `</${token.tag}>`)
    .join('');
}

function trimTrailingBlanks(tokens: Token[]): Token[] {
  let end = tokens.length;
  while (end > 0 && (tokens[end - 1]!.kind === 'newline' || tokens[end - 1]!.kind === 'space')) end--;
  return tokens.slice(0, end);
}
