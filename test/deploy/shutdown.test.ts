import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { repositoryRoot } from '../support/harness.js';

/**
 * Runs the compiled bot (`node dist/src/main.js`) as a child process, the way `npm start`
 * and the Docker image do, and checks how it starts, stops on a signal, and refuses a bad
 * configuration.
 */

/** Maximum waits for the bot to become ready and to exit after a signal, in milliseconds. */
const startTimeoutMs = 15_000;
const exitTimeoutMs = 5_000;

/** One pino JSON log line. */
interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A spawned bot with its output collected line by line. */
class BotProcess {
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lineWaiters: Array<{ test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.readStdout(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first log line matching `test`; rejects when the process exits first or the wait times out. */
  waitForLog(test: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine> {
    const seen = this.logs.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching log line within ${timeoutMs} ms. Output:\n${this.output()}`)), timeoutMs);
      this.lineWaiters.push({
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`Bot exited with code ${code} before the expected log line. Output:\n${this.output()}`));
      });
    });
  }

  /** Resolves with the exit code; kills the process and rejects when it outlives `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`Bot still running ${timeoutMs} ms after the signal. Output:\n${this.output()}`);
    }
    return result.code;
  }

  /** Kills the process when a failed test left it running. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  output(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  private pendingLine = '';

  private readStdout(chunk: string): void {
    this.stdout += chunk;
    const lines = (this.pendingLine + chunk).split('\n');
    this.pendingLine = lines.pop() ?? '';
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      this.logs.push(line);
      for (const waiter of this.lineWaiters.filter((entry) => entry.test(line))) {
        this.lineWaiters.splice(this.lineWaiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}

let workDir: string;
const running: BotProcess[] = [];

/** Starts the compiled bot with JSON logs on a free loopback port, on SQLite in a fresh data folder. */
function startBot(environment: Record<string, string> = {}): BotProcess {
  const inherited = { ...process.env };
  // The suite may run with MONGODB_URI set for the MongoDB tests; this bot uses SQLite.
  delete inherited.MONGODB_URI;
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: repositoryRoot,
    env: {
      ...inherited,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DATA_DIR: path.join(workDir, `data-${running.length}`),
      TZ: 'Asia/Pontianak',
      WHATSAPP_ENABLED: 'false',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const bot = new BotProcess(child);
  running.push(bot);
  return bot;
}

/** Waits until the bot serves requests with its store open, and returns its base URL. */
async function waitUntilReady(bot: BotProcess): Promise<string> {
  const listening = await bot.waitForLog((line) => line.msg === 'web server listening', startTimeoutMs);
  await bot.waitForLog((line) => line.msg === 'ready', startTimeoutMs);
  return listening.url as string;
}

/** Sends one simulator message and returns the reply texts. */
async function sendMessage(url: string, user: string, text: string): Promise<string[]> {
  const response = await fetch(`${url}/api/simulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, text }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { replies: Array<{ text: string }> };
  return body.replies.map((reply) => reply.text);
}

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed with exit code ${build.status}:\n${build.stdout}\n${build.stderr}`);
  workDir = await mkdtemp(path.join(tmpdir(), 'sapa-layanan-shutdown-'));
  // tsc takes about 10 s on an idle machine; leave room for a busy one.
}, 180_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((bot) => bot.stop()));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('bot on %s', (signal) => {
  it('closes the store and exits 0', async () => {
    const dataDir = path.join(workDir, `signal-${signal}`);
    const bot = startBot({ DATA_DIR: dataDir });
    const url = await waitUntilReady(bot);

    const greeting = await sendMessage(url, 'warga-1', 'halo');
    expect(greeting.join('\n')).toContain('Selamat datang');
    expect(await sendMessage(url, 'warga-1', '1')).not.toHaveLength(0);
    expect(await sendMessage(url, 'warga-2', 'syarat kantor kas')).not.toHaveLength(0);

    bot.child.kill(signal);
    expect(await bot.waitForExit(exitTimeoutMs)).toBe(0);

    const shuttingDown = bot.logs.findIndex((line) => line.msg === 'shutting down');
    const stopped = bot.logs.findIndex((line) => line.msg === 'stopped');
    expect(bot.logs[shuttingDown]?.signal).toBe(signal);
    expect(stopped).toBeGreaterThan(shuttingDown);
    expect(bot.logs.filter((line) => line.level >= 50)).toEqual([]);

    // The turns were committed before the replies went out and survive the restart.
    const store = SqliteStore.open(dataDir);
    try {
      expect(await store.findConversation('web:warga-1')).toMatchObject({ version: 2 });
      expect(await store.findConversation('web:warga-2')).toMatchObject({ version: 1 });
    } finally {
      await store.close();
    }
  });
});

describe('bot start-up', () => {
  it('exits 1 naming an invalid variable', async () => {
    const bot = startBot({ PORT: 'abc' });
    expect(await bot.waitForExit(exitTimeoutMs)).toBe(1);
    expect(bot.stderr).toContain('PORT="abc"');
    expect(bot.stderr).toContain('must be a port number');
  });

  it('exits 1 naming a broken service file and field', async () => {
    const flowsDir = path.join(workDir, 'broken-flows');
    await cp(path.join(repositoryRoot, 'flows'), flowsDir, { recursive: true });
    const serviceFile = path.join(flowsDir, 'diskopukm-kalbar', 'services', '03-pertek-usp.yaml');
    const source = await readFile(serviceFile, 'utf8');
    expect(source).toContain('duration: 2 Hari}');
    await writeFile(serviceFile, source.replace('duration: 2 Hari}', 'duration: ""}'));

    const bot = startBot({ FLOWS_DIR: flowsDir });
    expect(await bot.waitForExit(exitTimeoutMs)).toBe(1);
    const fatal = bot.logs.find((line) => line.level === 60);
    expect(fatal, bot.output()).toBeDefined();
    expect(fatal!.msg).toContain('03-pertek-usp.yaml: completionTime.items.1.duration: must not be empty');
    expect(bot.logs.some((line) => line.msg === 'web server listening')).toBe(false);
  });
});
