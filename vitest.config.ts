import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests run in the office's own zone on a fixed TZ so no result depends on the host clock.
    // WHATSAPP_ENABLED=false keeps a bot started from the environment away from WhatsApp's servers.
    env: { TZ: 'Asia/Pontianak', LOG_LEVEL: 'silent', WHATSAPP_ENABLED: 'false' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
