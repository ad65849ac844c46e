import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp, type WebServer } from '../../src/channels/web/server.js';
import { countedStream } from '../support/counted-stream.js';
import { BotHarness } from '../support/harness.js';

describe('simulator API', () => {
  it('answers replies with options', async () => {
    const bot = await BotHarness.create();
    const response = await bot.post({ user: 'api-1', text: 'halo' });
    expect(response.status).toBe(200);
    const last = response.body.replies!.at(-1)!;
    expect(last.options![0]).toEqual({ key: '1', label: 'Informasi layanan' });
  });

  it('omits options on plain text replies', async () => {
    const bot = await BotHarness.create();
    await bot.send('api-1', 'halo');
    const response = await bot.post({ user: 'api-1', text: 'bantuan' });
    expect(response.body.replies![0]).not.toHaveProperty('options');
  });

  it('takes a file without text', async () => {
    const bot = await BotHarness.create();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const response = await bot.post({ user: 'api-file', media: [{ fileName: 'bukti.png', data: png.toString('base64') }] });
    expect(response.status).toBe(200);
    expect(response.body.replies!.length).toBeGreaterThan(0);
  });

  it('generates an id when absent', async () => {
    const bot = await BotHarness.create();
    const first = await bot.post({ user: 'api-1', text: 'halo' });
    const second = await bot.post({ user: 'api-1', text: 'halo' });
    expect(first.body.duplicate).toBeUndefined();
    expect(second.body.duplicate).toBeUndefined();
  });

  it.each([
    [{ text: 'halo' }, 'user'],
    [{ user: '', text: 'halo' }, 'user'],
    [{ user: 42, text: 'halo' }, 'user'],
    [{ user: 'a b', text: 'halo' }, 'user'],
    [{ user: 'x'.repeat(129), text: 'halo' }, 'user'],
    [{ user: 'budi' }, 'text'],
    [{ user: 'budi', text: 7 }, 'text'],
    [{ user: 'budi', text: 'halo', id: '' }, 'id'],
    [{ user: 'budi', text: 'halo', id: 5 }, 'id'],
    [{ user: 'budi', text: 'halo', extra: true }, 'extra'],
  ])('rejects %j naming %s', async (body, field) => {
    const bot = await BotHarness.create();
    const response = await bot.post(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toContain(field);
  });

  it('rejects a body that is not JSON', async () => {
    const bot = await BotHarness.create();
    const response = await bot.post('{"user": ');
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('JSON');
  });

  it('rejects a JSON array', async () => {
    const bot = await BotHarness.create();
    const response = await bot.post('[1, 2]');
    expect(response.status).toBe(400);
  });

  it('rejects a body over 64 KiB', async () => {
    const bot = await BotHarness.create();
    const response = await bot.post({ user: 'budi', text: 'a'.repeat(70_000) });
    expect(response.status).toBe(413);
  });

  it('answers unknown paths with 404 JSON', async () => {
    const bot = await BotHarness.create();
    const response = await bot.app.request('/api/unknown');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain('/api/unknown');
  });
});

describe('web server', () => {
  let server: WebServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Starts the simulator on a free loopback port. */
  function startSimulatorServer(bot: BotHarness): Promise<WebServer> {
    return bot.serve();
  }

  it('healthz answers ok', async () => {
    const bot = await BotHarness.create();
    const response = await bot.app.request('/healthz');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readyz reports the store', async () => {
    const bot = await BotHarness.create();
    let ready = false;
    const app = createWebApp(bot.webOptions({ isReady: () => ready }));
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
    ready = true;
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('serves the chat page', async () => {
    const bot = await BotHarness.create();
    const response = await bot.app.request('/');
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Dinas Koperasi, Usaha Kecil dan Menengah Provinsi Kalimantan Barat');
  });

  it('simulator disabled hides page and API', async () => {
    const bot = await BotHarness.create();
    const app = createWebApp(bot.webOptions({ simulatorEnabled: false }));
    expect((await app.request('/')).status).toBe(404);
    expect((await app.request('/api/simulator/messages', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('binds to loopback on a real port', async () => {
    server = await startSimulatorServer(await BotHarness.create());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'net-1', text: 'halo' }),
    });
    expect(response.status).toBe(200);
  });

  it('checks Origin on a real port', async () => {
    server = await startSimulatorServer(await BotHarness.create());
    const send = (origin: string) =>
      fetch(`${server!.url}/api/simulator/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ user: 'net-1', text: 'halo' }),
      });
    expect((await send(server.url)).status).toBe(200);
    expect((await send('http://evil.example')).status).toBe(403);
  });
});

describe('simulator cross-site guards', () => {
  const officerCommand = JSON.stringify({ user: 'petugas-demo', text: 'tolak ADU-2026-00006 spam' });

  /** Posts `body` to the simulator API with the given headers and returns the status and error. */
  async function postWith(bot: BotHarness, headers: Record<string, string>, body = officerCommand) {
    const response = await bot.app.request('/api/simulator/messages', { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as { error?: string; replies?: unknown[] } };
  }

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form encoding', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type', {}],
  ])('rejects a POST with %s', async (_case, headers: Record<string, string>) => {
    const bot = await BotHarness.create();
    const response = await postWith(bot, headers);
    expect(response.status).toBe(415);
    expect(response.body.error).toContain('application/json');
  });

  it('accepts JSON with a charset', async () => {
    const bot = await BotHarness.create();
    const response = await postWith(bot, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ user: 'api-1', text: 'halo' }));
    expect(response.status).toBe(200);
  });

  it('rejects a POST from another origin', async () => {
    const bot = await BotHarness.create();
    const response = await postWith(bot, { 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect(response.body.error).toContain('http://evil.example');
  });

  it('rejects text/plain from another origin', async () => {
    const bot = await BotHarness.create();
    const response = await postWith(bot, { 'content-type': 'text/plain', host: '127.0.0.1:3000', origin: 'http://evil.example' });
    expect(response.status).toBe(403);
  });

  it.each(['http://127.0.0.1:4000', 'null', 'file:///tmp/page.html'])('rejects Origin %s', async (origin) => {
    const bot = await BotHarness.create();
    const response = await postWith(bot, { 'content-type': 'application/json', host: '127.0.0.1:3000', origin });
    expect(response.status).toBe(403);
  });

  it.each(['cross-site', 'same-site', 'Cross-Site'])('rejects Sec-Fetch-Site %s', async (site) => {
    const bot = await BotHarness.create();
    const post = await postWith(bot, { 'content-type': 'application/json', 'sec-fetch-site': site });
    expect(post.status).toBe(403);
    expect(post.body.error).toContain('Sec-Fetch-Site');
    const get = await bot.app.request('/api/simulator/messages?user=petugas-demo', { headers: { 'sec-fetch-site': site } });
    expect(get.status).toBe(403);
  });

  it('accepts its own origin', async () => {
    const bot = await BotHarness.create();
    const headers = { 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
    const response = await postWith(bot, headers, JSON.stringify({ user: 'api-1', text: 'halo' }));
    expect(response.status).toBe(200);
  });

  it('keeps the queue on a cross-origin GET', async () => {
    const bot = await BotHarness.create();
    await bot.store.enqueueOutbound([{ channel: 'web', userId: 'petugas-demo', text: 'Pengaduan baru masuk.', createdAt: bot.clock.now() }]);
    const headers = { host: '127.0.0.1:3000', origin: 'http://evil.example' };
    const rejected = await bot.app.request('/api/simulator/messages?user=petugas-demo', { headers });
    expect(rejected.status).toBe(403);

    const queued = await bot.app.request('/api/simulator/messages?user=petugas-demo');
    const body = (await queued.json()) as { messages: Array<{ text: string }> };
    expect(body.messages.map((message) => message.text)).toEqual(['Pengaduan baru masuk.']);
  });

  it('stops reading a body over the limit', async () => {
    const bot = await BotHarness.create();
    const stream = countedStream(1024 * 1024, 64);
    const response = await bot.app.request('/api/simulator/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream.body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(stream.pulledChunks()).toBeLessThan(64);
  });
});
