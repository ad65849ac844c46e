import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { repositoryRoot } from './harness.js';

/** A bot started as its own process from the sources, for tests that kill or signal it. */
export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Log lines (JSON) printed so far. */
  logs: string[];
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
}

const tsxLoader = path.join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/**
 * Starts `src/main.ts` with tsx on a free loopback port and resolves once the web server
 * listens (and, when `waitForReady` is set, once the store is connected).
 */
export async function startBotProcess(env: Record<string, string>, options: { waitForReady?: boolean } = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(repositoryRoot, 'src', 'main.ts')], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Pontianak', LOG_FORMAT: 'json', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', WHATSAPP_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    let listeningUrl: string | undefined;
    const timer = setTimeout(() => reject(new Error(`Bot did not start within 30 s; log:\n${logs.join('\n')}`)), 30_000);
    const finish = (value: string) => {
      clearTimeout(timer);
      resolve(value);
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const entry = parseLine(line);
      if (entry?.msg === 'web server listening' && typeof entry.url === 'string') {
        listeningUrl = entry.url;
        if (!options.waitForReady) finish(listeningUrl);
      }
      if (entry?.msg === 'ready' && options.waitForReady && listeningUrl) finish(listeningUrl);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Bot exited with code ${String(code)} before it was ready; log:\n${logs.join('\n')}`));
    });
  });
  return { url, child, logs, exited };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
