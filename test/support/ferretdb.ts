import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * FerretDB 1.24.2 with its SQLite backend: a real MongoDB wire-protocol server for the Mongo
 * store tests, built from source with the local Go toolchain and started per test file.
 *
 * `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics
 * at start ("Invalid build/version/version.txt"): the published module embeds an empty
 * version file. So the build copies the module source out of the Go module cache, writes the
 * version into that file, and builds the copy.
 */

/** The FerretDB release the tests run against. */
export const ferretdbVersion = 'v1.24.2';

const ferretdbModule = 'github.com/FerretDB/FerretDB';
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Folder of the built binary, inside node_modules so that a clean checkout rebuilds it. */
export const ferretdbCacheDir = path.join(repositoryRoot, 'node_modules', '.cache', 'sapa-layanan', `ferretdb-${ferretdbVersion}`);

/** Path of the built binary; it exists once `ensureFerretdbBinary` has run. */
export const ferretdbBinaryPath = path.join(ferretdbCacheDir, 'ferretdb');

/** Returns whether `go version` runs, that is, whether a Go toolchain is on PATH. */
export function isGoAvailable(): boolean {
  const result = spawnSync('go', ['version'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Returns the path of the FerretDB binary, building it first when it is missing. Building
 * needs Go on PATH and the Go module proxy (or a warm module cache): about 4 minutes the
 * first time, about 10 seconds with the modules already downloaded.
 */
export async function ensureFerretdbBinary(options: { log?: (line: string) => void } = {}): Promise<string> {
  if (await exists(ferretdbBinaryPath)) return ferretdbBinaryPath;
  if (!isGoAvailable()) {
    throw new Error(`Cannot build FerretDB ${ferretdbVersion}: no "go" on PATH. Install Go 1.22 or newer, or set MONGODB_URI.`);
  }
  const log = options.log ?? (() => {});
  const started = Date.now();
  log(`building FerretDB ${ferretdbVersion} into ${ferretdbCacheDir}`);

  const download = run('go', ['mod', 'download', '-json', `${ferretdbModule}@${ferretdbVersion}`], { cwd: tmpdir() });
  const moduleDir = (JSON.parse(download) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`"go mod download" printed no Dir for ${ferretdbModule}@${ferretdbVersion}: ${download}`);

  const sourceDir = await mkdtemp(path.join(tmpdir(), 'sapa-ferretdb-src-'));
  try {
    await cp(moduleDir, sourceDir, { recursive: true });
    // Files in the module cache are read-only, and so are their copies.
    await makeWritable(sourceDir);
    await writeFile(path.join(sourceDir, 'build', 'version', 'version.txt'), `${ferretdbVersion}\n`);

    await mkdir(ferretdbCacheDir, { recursive: true });
    // Build under a private name and rename: two test files that build at once never see a
    // half-written binary.
    const partial = `${ferretdbBinaryPath}.${process.pid}.partial`;
    run('go', ['build', '-o', partial, './cmd/ferretdb'], {
      cwd: sourceDir,
      env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' },
    });
    await rename(partial, ferretdbBinaryPath);
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
  log(`built FerretDB ${ferretdbVersion} in ${Math.round((Date.now() - started) / 1000)} s`);
  return ferretdbBinaryPath;
}

/** A running FerretDB server on a loopback port, with its own data folder. */
export interface FerretdbServer {
  /** Connection string without a database name, such as mongodb://127.0.0.1:40123/. */
  uri: string;
  port: number;
  /** Folder of the SQLite files and the server's state; kept across `restart`. */
  dataDir: string;
  /** Sends SIGTERM and waits for the process to exit. The data folder stays. */
  stop(): Promise<void>;
  /** Sends SIGKILL and waits for the process to exit, as a crash would. The data folder stays. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data folder, stopping it first when it runs. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data folder. */
  close(): Promise<void>;
}

const runningServers = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts FerretDB on a free loopback port with a fresh data folder, and resolves once it
 * accepts connections. Telemetry is off and DO_NOT_TRACK is set: the server contacts no host.
 */
export async function startFerretdb(options: { binary?: string } = {}): Promise<FerretdbServer> {
  const binary = options.binary ?? (await ensureFerretdbBinary());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sapa-ferretdb-data-'));
  const port = await freePort();
  installExitHook();

  let child: ChildProcess | undefined;
  const launch = async () => {
    child = await launchFerretdb(binary, dataDir, port);
  };
  const terminate = async (signal: NodeJS.Signals) => {
    if (child) await stopProcess(child, signal);
    child = undefined;
  };

  await launch();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    stop: () => terminate('SIGTERM'),
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    async close() {
      await terminate('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function launchFerretdb(binary: string, dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      '--telemetry=disable',
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      `--state-dir=${dataDir}`,
      '--log-level=error',
    ],
    { env: { ...process.env, DO_NOT_TRACK: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  runningServers.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.once('exit', () => runningServers.delete(child));

  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`FerretDB exited with ${child.exitCode ?? child.signalCode} before listening on port ${port}: ${stderr}`);
    }
    if (Date.now() > deadline) {
      await stopProcess(child, 'SIGKILL');
      throw new Error(`FerretDB did not listen on 127.0.0.1:${port} within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** Kills servers still running when the test process exits, so that none outlives its tests. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of runningServers) child.kill('SIGKILL');
  });
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd} with exit code ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Adds the owner's write bit to every folder and file under `dir`, as `chmod -R u+w` does. */
async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, (await stat(dir)).mode | 0o200);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(entryPath);
    else if (entry.isFile()) await chmod(entryPath, (await stat(entryPath)).mode | 0o200);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the MongoDB store tests find a server: MONGODB_URI when it is set, otherwise a
 * FerretDB they build and start when Go is on PATH, otherwise none (the tests skip).
 */
export type MongoTestTarget = { kind: 'uri'; uri: string } | { kind: 'ferretdb' } | { kind: 'none'; reason: string };

/** Picks the MongoDB test server by the rule of `MongoTestTarget`. */
export function mongoTestTarget(environment: Record<string, string | undefined> = process.env): MongoTestTarget {
  const uri = environment.MONGODB_URI?.trim();
  if (uri) return { kind: 'uri', uri };
  if (existsSync(ferretdbBinaryPath) || isGoAvailable()) return { kind: 'ferretdb' };
  return {
    kind: 'none',
    reason: 'MongoDB store tests skipped: install Go (to build FerretDB for them) or set MONGODB_URI to a test server',
  };
}

/** A server for the MongoDB store tests: connection strings for databases on it, and its shutdown. */
export interface MongoTestServer {
  /** Connection string of `database` on the server. */
  uriFor(database: string): string;
  /** Stops the FerretDB it started; on a MONGODB_URI server, leaves the server running. */
  close(): Promise<void>;
  /** The FerretDB process, when the tests started one; undefined on a MONGODB_URI server. */
  ferretdb?: FerretdbServer;
}

/** Starts (FerretDB) or names (MONGODB_URI) the server of `target`; the target must not be `none`. */
export async function startMongoTestServer(target: MongoTestTarget): Promise<MongoTestServer> {
  if (target.kind === 'none') throw new Error(target.reason);
  if (target.kind === 'uri') return { uriFor: (database) => withDatabase(target.uri, database), close: async () => {} };
  const ferretdb = await startFerretdb({ binary: await ensureFerretdbBinary({ log: (line) => console.log(`ferretdb: ${line}`) }) });
  return { uriFor: (database) => withDatabase(ferretdb.uri, database), close: () => ferretdb.close(), ferretdb };
}

/**
 * Returns `uri` with its database path replaced by `database`, keeping the hosts, the
 * credentials and the options: mongodb://u:p@h1,h2/old?x=1 becomes mongodb://u:p@h1,h2/<database>?x=1.
 */
export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB connection string: ${uri.replace(/\/\/[^@/]*@/, '//***@')}; use mongodb://host:port/`);
  return `${match[1]}/${encodeURIComponent(database)}${match[2]}`;
}
