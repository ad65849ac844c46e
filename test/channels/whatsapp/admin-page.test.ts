import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { addWhatsAppAdminRoutes, isLoopback, isLoopbackHost } from '../../../src/channels/whatsapp/admin-page.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { countedStream } from '../../support/counted-stream.js';
import { startTestChannel, waitUntil, type TestChannel } from './channel-support.js';

/** The request environment @hono/node-server passes, with the client's address. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

/** Returns the form token that the page at `/whatsapp` embeds in its forms. */
async function readFormToken(app: Hono): Promise<string> {
  const html = await (await app.request('/whatsapp', {}, from('127.0.0.1'))).text();
  return /name="form" value="([0-9a-f]+)"/.exec(html)![1]!;
}

/**
 * Sends a request over a real loopback connection with a chosen Host header, as a browser
 * does after a page's DNS name was rebound to 127.0.0.1.
 */
function sendRaw(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('whatsapp admin page', () => {
  let test: TestChannel | undefined;
  let server: ServerType | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await test?.channel.stop();
    test = undefined;
  });

  /** Serves `app` on a free loopback port and returns the port. */
  async function listen(app: Hono): Promise<number> {
    server = await new Promise<ServerType>((resolve) => {
      const instance = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(instance));
    });
    return (server.address() as AddressInfo).port;
  }

  async function page(adminToken?: string) {
    test = await startTestChannel();
    const app = new Hono();
    addWhatsAppAdminRoutes(app, { channel: test.channel, office: { shortName: 'Diskop UKM Kalbar', timeZone: 'Asia/Pontianak', timeZoneLabel: 'WIB' }, logger: createSilentLogger(), ...(adminToken ? { adminToken } : {}) });
    return app;
  }

  it('shows the QR code to a loopback request', async () => {
    const app = await page();
    test!.whatsapp.current.showQr('2@qr-for-page');
    const response = await app.request('/whatsapp', {}, from('127.0.0.1'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Nomor kantor belum tertaut');
    expect(html).toContain('<svg');
  });

  it('shows the pairing code', async () => {
    test = await startTestChannel({ pairingNumber: '6285600000001' });
    const app = new Hono();
    addWhatsAppAdminRoutes(app, { channel: test.channel, office: { shortName: 'Diskop', timeZone: 'Asia/Pontianak', timeZoneLabel: 'WIB' }, logger: createSilentLogger() });
    test.whatsapp.current.showQr();
    await waitUntil(() => test!.channel.status().pairingCode !== undefined, 'the pairing code');
    expect(await (await app.request('/whatsapp', {}, from('::1'))).text()).toContain('SAPA-2026');
  });

  it('rejects other hosts without a token', async () => {
    const app = await page();
    const response = await app.request('/whatsapp/status', {}, from('203.0.113.7'));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: expect.stringContaining('WHATSAPP_ADMIN_TOKEN') });
  });

  it('rejects a loopback request through a proxy without a token', async () => {
    const app = await page();
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const response = await app.request('/whatsapp/status', { headers: { [header]: header === 'forwarded' ? 'for=8.8.8.8' : '8.8.8.8' } }, from('127.0.0.1'));
      expect(response.status, header).toBe(403);
      expect(await response.json()).toEqual({ error: expect.stringContaining('WHATSAPP_ADMIN_TOKEN') });
    }
  });

  it('accepts the admin token from any host', async () => {
    const app = await page('token-for-the-office-admin');
    expect((await app.request('/whatsapp/status?token=token-for-the-office-admin', {}, from('203.0.113.7'))).status).toBe(200);
    const bearer = await app.request('/whatsapp/status', { headers: { authorization: 'Bearer token-for-the-office-admin' } }, from('203.0.113.7'));
    expect(await bearer.json()).toMatchObject({ state: 'connecting' });
  });

  it('rejects a wrong token even from loopback', async () => {
    const app = await page('token-for-the-office-admin');
    expect((await app.request('/whatsapp/status?token=wrong', {}, from('127.0.0.1'))).status).toBe(401);
  });

  it('rejects an action without the form token', async () => {
    const app = await page();
    const response = await app.request('/whatsapp/reset', { method: 'POST', body: new URLSearchParams({ form: 'guessed' }) }, from('127.0.0.1'));
    expect(response.status).toBe(403);
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it('resets the session from the page form', async () => {
    const app = await page();
    const html = await (await app.request('/whatsapp', {}, from('127.0.0.1'))).text();
    const formToken = /name="form" value="([0-9a-f]+)"/.exec(html)![1]!;
    const response = await app.request('/whatsapp/reset', { method: 'POST', body: new URLSearchParams({ form: formToken }) }, from('127.0.0.1'));
    expect(response.status).toBe(303);
    expect(test!.whatsapp.sockets).toHaveLength(2);
  });

  it('rejects a rebound host name', async () => {
    const app = await page();
    const port = await listen(app);
    const response = await sendRaw(port, 'GET', '/whatsapp', { host: 'evil.example:3911' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('evil.example:3911');
    expect(response.text).not.toContain('name="form"');
  });

  it('rejects a reset under a rebound host', async () => {
    const app = await page();
    const port = await listen(app);
    const formToken = await readFormToken(app);
    const body = new URLSearchParams({ form: formToken }).toString();
    const headers = { host: 'evil.example:3911', origin: 'http://evil.example:3911', 'content-type': 'application/x-www-form-urlencoded' };
    const response = await sendRaw(port, 'POST', '/whatsapp/reset', headers, body);
    expect(response.status).toBe(403);
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('serves the page as host %s', async (name) => {
    const app = await page();
    const port = await listen(app);
    const response = await sendRaw(port, 'GET', '/whatsapp', { host: `${name}:${port}` });
    expect(response.status).toBe(200);
    expect(response.text).toContain('name="form"');
  });

  it('rejects a reset from another origin', async () => {
    const app = await page();
    const formToken = await readFormToken(app);
    const headers = { host: '127.0.0.1:3911', origin: 'http://evil.example' };
    const response = await app.request('/whatsapp/reset', { method: 'POST', headers, body: new URLSearchParams({ form: formToken }) }, from('127.0.0.1'));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: expect.stringContaining('http://evil.example') });
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it('resets from its own origin', async () => {
    const app = await page();
    const formToken = await readFormToken(app);
    const headers = { host: '127.0.0.1:3911', origin: 'http://127.0.0.1:3911' };
    const response = await app.request('/whatsapp/reset', { method: 'POST', headers, body: new URLSearchParams({ form: formToken }) }, from('127.0.0.1'));
    expect(response.status).toBe(303);
    expect(test!.whatsapp.sockets).toHaveLength(2);
  });

  it('rejects a form body over 16 KiB', async () => {
    const app = await page();
    const formToken = await readFormToken(app);
    const body = new URLSearchParams({ form: formToken, padding: 'a'.repeat(20_000) });
    const response = await app.request('/whatsapp/reset', { method: 'POST', body }, from('127.0.0.1'));
    expect(response.status).toBe(413);
    expect(test!.whatsapp.sockets).toHaveLength(1);
  });

  it('stops reading a large streamed body', async () => {
    const app = await page();
    const stream = countedStream(64 * 1024, 1024);
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stream.body, duplex: 'half' } as RequestInit;
    const response = await app.request('/whatsapp/reset', init, from('127.0.0.1'));
    expect(response.status).toBe(413);
    expect(stream.pulledChunks()).toBeLessThan(1024);
  });

  it('rejects a declared length over 16 KiB', async () => {
    const app = await page();
    const port = await listen(app);
    const body = 'form=' + 'a'.repeat(20_000);
    const response = await sendRaw(port, 'POST', '/whatsapp/reset', { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect(response.status).toBe(413);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.1:3911', true],
    ['localhost:3000', true],
    ['LOCALHOST', true],
    ['[::1]:3911', true],
    ['evil.example:3911', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.nip.io', false],
    ['0.0.0.0:3911', false],
    ['', false],
  ])('%s is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.4.5.6', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.2', false],
    ['172.17.0.1', false],
    ['::ffff:192.168.1.5', false],
    [undefined, false],
  ])('%s is %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
