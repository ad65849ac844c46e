import { expect } from 'vitest';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from '../../../src/channels/telegram/telegram-channel.js';
import type { Reply } from '../../../src/conversation/reply.js';
import { createSilentLogger } from '../../../src/log/logger.js';
import type { InboundMessage } from '../../../src/pipeline/inbound-message.js';
import type { PipelineResult } from '../../../src/pipeline/inbound-pipeline.js';
import { BotHarness } from '../../support/harness.js';
import { stubToken, type BotApiStub } from './bot-api-stub.js';

/** Short waits so that retries and restarts take milliseconds in tests. */
export const fastTuning: NonNullable<TelegramChannelOptions['tuning']> = {
  restartBackoff: { firstMs: 50, maxMs: 400, stableMs: 60_000 },
  sendRetry: { attempts: 4, firstDelayMs: 20, maxDelayMs: 80, maxRetryAfterMs: 200 },
  download: { maxBytes: 64 * 1024, timeoutMs: 2000 },
  stopGraceMs: 2000,
  // The lease's lifetime is read on the test's clock; its renewals and retries run on real timers.
  pollerLease: { ttlMs: 60_000, renewMs: 30, retryMs: 30, storeWaitMs: 30 },
};

/** A pipeline that records what it receives and answers every message with `replies`. */
export class RecordingPipeline {
  readonly received: InboundMessage[] = [];
  replies: Reply[] = [{ text: '*Halo*, Bapak/Ibu.' }];

  receive = async (message: InboundMessage): Promise<PipelineResult> => {
    this.received.push(message);
    return { replies: this.replies, duplicate: false };
  };
}

/** Creates a channel that talks to the stub; `options` replaces the pipeline, tuning, clock, store, alert receiver or webhook settings. */
export async function createStubChannel(
  stub: BotApiStub,
  options: Partial<Pick<TelegramChannelOptions, 'pipeline' | 'tuning' | 'downloadFile' | 'logger' | 'store' | 'onAlert' | 'clock'>> & {
    webhook?: { url: string; secret: string };
  } = {},
): Promise<TelegramChannel> {
  expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const harness = await BotHarness.create();
  return createTelegramChannel({
    config: {
      token: stubToken,
      apiRoot: stub.url,
      ...(options.webhook ? { webhookUrl: options.webhook.url, webhookSecret: options.webhook.secret } : {}),
    },
    pipeline: options.pipeline ?? new RecordingPipeline(),
    catalog: harness.catalog,
    logger: options.logger ?? createSilentLogger(),
    clock: options.clock ?? harness.clock.now,
    tuning: { ...fastTuning, ...options.tuning },
    ...(options.downloadFile ? { downloadFile: options.downloadFile } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.onAlert ? { onAlert: options.onAlert } : {}),
  });
}

/** Waits until `condition` holds, checking every 10 ms, failing after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
