import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const cwd = '/srv/bot';

describe('loadConfig', () => {
  it('fills defaults with no variables', () => {
    const config = loadConfig({}, { cwd, isTerminal: false });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.officeDir).toBe(path.join(cwd, 'flows', 'diskopukm-kalbar'));
    expect(config.sessionIdleMinutes).toBe(30);
    expect(config.simulatorEnabled).toBe(true);
    expect(config.logFormat).toBe('json');
  });

  it('pretty logs on a terminal', () => {
    expect(loadConfig({}, { cwd, isTerminal: true }).logFormat).toBe('pretty');
  });

  it('production turns the simulator off', () => {
    expect(loadConfig({ NODE_ENV: 'production' }, { cwd }).simulatorEnabled).toBe(false);
  });

  it('production simulator can be enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR_ENABLED: 'true' }, { cwd }).simulatorEnabled).toBe(true);
  });

  it('empty values count as unset', () => {
    expect(loadConfig({ PORT: '' }, { cwd }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['SIMULATOR_ENABLED', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['OFFICE', '../etc'],
    ['NODE_ENV', 'staging'],
  ])('invalid %s=%s names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value }, { cwd })).toThrowError(new RegExp(`${name}="${value.replace('.', '\\.')}"`));
  });

  it('reports every invalid variable together', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }, { cwd });
      expect.unreachable('loadConfig accepted invalid values');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
