import { afterEach, describe, expect, it } from 'vitest';
import { maskAddress } from '../../../src/log/logger.js';
import { captureLogs } from '../../support/capture-logs.js';
import { deliver, startOpenChannel, type TestChannel } from './channel-support.js';
import { citizenLid, citizenPhone, decryptionFailure, text, voiceNote } from './wa-messages.js';

const secretText = 'nomor KTP saya 6171234567890001';

describe('whatsapp logs', () => {
  let test: TestChannel | undefined;
  afterEach(async () => {
    await test?.channel.stop();
  });

  it('keep phone numbers, LIDs and texts out', async () => {
    const { logger, lines } = captureLogs();
    test = await startOpenChannel({ logger });
    await deliver(test, [text('halo'), text(secretText), voiceNote(), decryptionFailure('3EB0LOG'), text('halo', { fromMe: true })]);
    test.whatsapp.current.sendFailures.push(new Error('send failed'));
    await deliver(test, text('menu'));
    await test.channel.stop();

    expect(lines.some((line) => line.msg === 'whatsapp reply could not be sent')).toBe(true);
    const phoneDigits = citizenPhone.split('@')[0]!;
    const lidDigits = citizenLid.split('@')[0]!;
    for (const line of lines) {
      const { userKey, ...rest } = line;
      if (userKey !== undefined) expect(maskAddress(userKey)).toBe(`whatsapp:…${phoneDigits.slice(-3)}`);
      const serialised = JSON.stringify(rest);
      expect(serialised).not.toContain(phoneDigits);
      expect(serialised).not.toContain(lidDigits);
      expect(serialised).not.toContain(secretText);
    }
  });
});
