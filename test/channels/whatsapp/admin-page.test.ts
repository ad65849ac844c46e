import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { addWhatsAppAdminRoutes, isLoopback } from '../../../src/channels/whatsapp/admin-page.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import { startTestChannel, waitUntil, type TestChannel } from './channel-support.js';

/** The request environment @hono/node-server passes, with the client's address. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('whatsapp admin page', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
    test = undefined;
  });

  async function page(adminToken?: string) {
    test = await startTestChannel();
    const app = new Hono();
    addWhatsAppAdminRoutes(app, { channel: test.channel, office: { shortName: 'Diskop UKM Kalbar' }, logger: createSilentLogger(), ...(adminToken ? { adminToken } : {}) });
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
    addWhatsAppAdminRoutes(app, { channel: test.channel, office: { shortName: 'Diskop' }, logger: createSilentLogger() });
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
