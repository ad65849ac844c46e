import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp, startWebServer, type WebServer } from '../../src/channels/web/server.js';
import { createSilentLogger } from '../../src/log/logger.js';
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

  it('healthz answers ok', async () => {
    const bot = await BotHarness.create();
    const response = await bot.app.request('/healthz');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('readyz reports the store', async () => {
    const bot = await BotHarness.create();
    let ready = false;
    const app = createWebApp({
      pipeline: bot.pipeline,
      logger: createSilentLogger(),
      office: bot.catalog.office,
      simulatorEnabled: true,
      clock: bot.clock.now,
      takeOutbound: (channel, userId, now) => bot.store.takeOutbound(channel, userId, now),
      isReady: () => ready,
    });
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
    const app = createWebApp({
      pipeline: bot.pipeline,
      logger: createSilentLogger(),
      office: bot.catalog.office,
      simulatorEnabled: false,
      clock: bot.clock.now,
      takeOutbound: (channel, userId, now) => bot.store.takeOutbound(channel, userId, now),
    });
    expect((await app.request('/')).status).toBe(404);
    expect((await app.request('/api/simulator/messages', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('binds to loopback on a real port', async () => {
    const bot = await BotHarness.create();
    server = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      pipeline: bot.pipeline,
      logger: createSilentLogger(),
      office: bot.catalog.office,
      simulatorEnabled: true,
      clock: bot.clock.now,
      takeOutbound: (channel, userId, now) => bot.store.takeOutbound(channel, userId, now),
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'net-1', text: 'halo' }),
    });
    expect(response.status).toBe(200);
  });
});
