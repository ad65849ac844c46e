import { expect } from 'vitest';

/**
 * Asserts that a message is well formed for Telegram's HTML parse mode as this channel writes
 * it: the only tags are balanced `<b>` pairs, and every other `<`, `>` and `&` is escaped.
 */
export function expectWellFormedHtml(html: string): void {
  const open: string[] = [];
  for (const match of html.matchAll(/<[^>]*>|&[^;\s]*;?|>/g)) {
    const token = match[0];
    if (token === '<b>') open.push('b');
    else if (token === '</b>') expect(open.pop(), `closing tag without opening tag in ${JSON.stringify(html)}`).toBe('b');
    else if (token.startsWith('&')) expect(['&amp;', '&lt;', '&gt;'], `bad entity ${token}`).toContain(token);
    else expect.fail(`unexpected markup ${JSON.stringify(token)} in ${JSON.stringify(html)}`);
  }
  expect(open, `unclosed tags in ${JSON.stringify(html)}`).toEqual([]);
  expect(html.replace(/<\/?b>/g, '')).not.toMatch(/[<>]/);
}
