import { describe, expect, it } from 'vitest';
import { ConfigError, environmentVariableNames, loadConfig } from '../../../src/config/config.js';

const token = '123456789:AAConfigTokenForTestsOnly_abcdefgh';
const cwd = '/srv/bot';

describe('telegram config', () => {
  it('polls when no webhook is set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }, { cwd }).telegram).toEqual({ token });
  });

  it('reads the webhook with its secret', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://bot.example.go.id/telegram', TELEGRAM_WEBHOOK_SECRET: 's3cret' }, { cwd });
    expect(config.telegram).toEqual({ token, webhookUrl: 'https://bot.example.go.id/telegram', webhookSecret: 's3cret' });
  });

  it('requires the secret with a webhook', () => {
    const load = () => loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://bot.example.go.id/telegram' }, { cwd });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/TELEGRAM_WEBHOOK_SECRET="": must be set when TELEGRAM_WEBHOOK_URL is set/);
  });

  it('keeps the variable names', () => {
    expect(environmentVariableNames).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(environmentVariableNames).toContain('TELEGRAM_API_ROOT');
  });
});
