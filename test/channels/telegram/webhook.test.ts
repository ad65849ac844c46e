import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { secretTokenHeader } from '../../../src/channels/telegram/webhook-handler.js';
import { createWebApp, type WebServer } from '../../../src/channels/web/server.js';
import { BotHarness } from '../../support/harness.js';
import { BotApiStub, textUpdate } from './bot-api-stub.js';
import { createStubChannel, RecordingPipeline, waitUntil } from './stub-support.js';

const webhookUrl = 'https://bot.example.go.id/telegram/updates';
const secret = 'rahasia-webhook_123';

/** Mounts the channel's webhook the way the app does. */
function mountWebhook(channel: TelegramChannel) {
  return (app: Hono) => {
    const webhook = channel.webhook;
    if (webhook) app.post(webhook.path, (c) => webhook.handle(c.req.raw));
  };
}

describe('telegram webhook', () => {
  let stub: BotApiStub;
  let channel: TelegramChannel | undefined;
  let pipeline: RecordingPipeline;
  let app: Hono;
  let server: WebServer | undefined;

  beforeEach(async () => {
    stub = await new BotApiStub().start();
    pipeline = new RecordingPipeline();
    channel = await createStubChannel(stub, { pipeline, webhook: { url: webhookUrl, secret } });
    const bot = await BotHarness.create();
    app = createWebApp(bot.webOptions({ simulatorEnabled: false, routes: mountWebhook(channel) }));
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await channel?.stop();
    channel = undefined;
    await stub.stop();
  });

  function post(body: unknown, headers: Record<string, string> = { [secretTokenHeader]: secret }) {
    return app.request('/telegram/updates', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('registers the webhook with its secret', async () => {
    channel!.start();
    const [call] = await stub.waitForCalls('setWebhook', 1);
    expect(call!.body).toMatchObject({ url: webhookUrl, secret_token: secret, drop_pending_updates: false });
    expect(call!.body.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    await waitUntil(() => channel!.status().state === 'running', 'the channel to run');
    expect(channel!.mode).toBe('webhook');
    expect(channel!.webhook?.path).toBe('/telegram/updates');
    expect(stub.callsOf('getUpdates')).toEqual([]);
  });

  it('answers a repeated update once', async () => {
    channel!.start();
    const update = textUpdate(41, 777, 'halo');
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await stub.waitForCalls('sendMessage', 1);
    await channel!.whenIdle();
    expect(pipeline.received).toHaveLength(1);
    expect(stub.callsOf('sendMessage')).toHaveLength(1);
  });

  it('rejects a request without the secret', async () => {
    channel!.start();
    expect((await post(textUpdate(1, 777, 'halo'), {})).status).toBe(403);
    expect((await post(textUpdate(2, 777, 'halo'), { [secretTokenHeader]: 'salah' })).status).toBe(403);
    await channel!.whenIdle();
    expect(pipeline.received).toEqual([]);
    expect(stub.callsOf('sendMessage')).toEqual([]);
  });

  it('rejects a body that is not an update', async () => {
    expect((await post('{"update_id": ')).status).toBe(400);
    expect((await post({ message: {} })).status).toBe(400);
    expect(pipeline.received).toEqual([]);
  });

  it('asks for redelivery after stop', async () => {
    channel!.start();
    await channel!.stop();
    expect((await post(textUpdate(1, 777, 'halo'))).status).toBe(503);
    expect(pipeline.received).toEqual([]);
  });

  it('retries a failed setWebhook', async () => {
    stub.on('setWebhook', (_body, count) => (count === 0 ? { httpStatus: 500 } : undefined));
    channel!.start();
    await waitUntil(() => channel!.status().state === 'down', 'the channel to be down');
    await waitUntil(() => channel!.status().state === 'running', 'the channel to run again');
    expect(stub.callsOf('setWebhook')).toHaveLength(2);
  });

  it('works behind the real web server', async () => {
    const bot = await BotHarness.create();
    server = await bot.serve({ simulatorEnabled: false, routes: mountWebhook(channel!) });
    channel!.start();
    const response = await fetch(`${server.url}/telegram/updates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [secretTokenHeader]: secret },
      body: JSON.stringify(textUpdate(7, 777, 'halo')),
    });
    expect(response.status).toBe(200);
    await stub.waitForCalls('sendMessage', 1);
    await channel!.whenIdle();
    expect(pipeline.received[0]).toMatchObject({ userId: '777', text: 'halo' });
  });
});
