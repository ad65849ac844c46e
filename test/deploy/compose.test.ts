import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentVariableNames } from '../../src/config/config.js';
import { repositoryRoot } from '../support/harness.js';

/**
 * Checks the Docker deployment files as text, because no Docker engine runs where the suite
 * runs: the wiring of docker/compose.yaml, the settings in docker/.env.example, and the
 * runtime stage of docker/Dockerfile.
 */

const dockerDir = path.join(repositoryRoot, 'docker');

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  restart?: string;
  environment?: Record<string, string | number | boolean>;
  ports?: Array<string | { target?: number | string; published?: number | string; host_ip?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string | string[] };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8')) as ComposeFile;
const bot = compose.services.bot!;
const mongo = compose.services.mongo!;

/** Resolves `${NAME:-default}` and `${NAME-default}` as compose does when NAME is unset. */
function withDefaults(value: string | number | boolean | undefined): string {
  return String(value ?? '').replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_match, _name: string, fallback?: string) => fallback ?? '');
}

/** Splits the short port syntax `[host_ip:]published:target[/protocol]`. */
function parsePort(port: NonNullable<ComposeService['ports']>[number]): { hostIp?: string; published: string; target: string } {
  if (typeof port !== 'string') {
    return { ...(port.host_ip ? { hostIp: port.host_ip } : {}), published: withDefaults(port.published), target: withDefaults(port.target) };
  }
  const parts = withDefaults(port).replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length === 3) return { hostIp: parts[0]!, published: parts[1]!, target: parts[2]! };
  if (parts.length === 2) return { published: parts[0]!, target: parts[1]! };
  return { published: '', target: parts[0]! };
}

describe('compose.yaml', () => {
  it('defines the bot and mongo services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'mongo']);
  });

  it('runs mongo 7 on a named volume', () => {
    expect(mongo.image).toBe('mongo:7');
    const dataVolume = (mongo.volumes ?? []).map(String).find((volume) => volume.endsWith(':/data/db'));
    expect(dataVolume).toBeDefined();
    const volumeName = dataVolume!.split(':')[0]!;
    expect(volumeName).not.toMatch(/^[./~]/);
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
  });

  it('checks mongo health with a ping', () => {
    const test = mongo.healthcheck?.test;
    expect(Array.isArray(test)).toBe(true);
    expect((test as string[]).slice(0, 2)).toEqual(['CMD', 'mongosh']);
    expect((test as string[]).join(' ')).toContain(`db.adminCommand('ping')`);
  });

  it('starts the bot once mongo is healthy', () => {
    expect(bot.depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
  });

  it('restarts both services unless stopped', () => {
    expect(bot.restart).toBe('unless-stopped');
    expect(mongo.restart).toBe('unless-stopped');
  });

  it('builds the bot from the repository root', () => {
    expect(bot.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
  });

  it('connects the bot to the mongo service', () => {
    expect(withDefaults(bot.environment?.MONGODB_URI)).toBe('mongodb://mongo:27017/sapa-layanan');
  });

  it('listens on all interfaces inside the container', () => {
    expect(bot.environment?.HOST).toBe('0.0.0.0');
  });

  it('publishes the bot on host loopback only', () => {
    expect(bot.ports).toHaveLength(1);
    const port = parsePort(bot.ports![0]!);
    expect(port.hostIp).toBe('127.0.0.1');
    expect(port.target).toBe(withDefaults(bot.environment?.PORT));
    expect(port.published).toMatch(/^\d+$/);
  });

  it('sets only variables the config schema reads', () => {
    const unknown = Object.keys(bot.environment ?? {}).filter((name) => !environmentVariableNames.includes(name));
    expect(unknown).toEqual([]);
  });

  it('stores the bot data directory on a named volume', () => {
    const dataDir = withDefaults(bot.environment?.DATA_DIR);
    const dataVolume = (bot.volumes ?? []).map(String).find((volume) => volume.endsWith(`:${dataDir}`));
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume!.split(':')[0]);
  });
});

describe('.env.example', () => {
  const lines = readFileSync(path.join(dockerDir, '.env.example'), 'utf8').split('\n');
  /** Lines `NAME=value` are passed to compose; lines `# NAME=value` document a variable compose.yaml fixes. */
  const assignments = lines.flatMap((line) => {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match ? [{ name: match[2]!, active: match[1] === undefined, value: match[3]! }] : [];
  });
  const composeText = readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8');

  it('lists exactly the schema variables', () => {
    expect(assignments.map((assignment) => assignment.name).sort()).toEqual([...environmentVariableNames].sort());
  });

  it('lists each variable once', () => {
    const names = assignments.map((assignment) => assignment.name);
    expect(names.length).toBe(new Set(names).size);
  });

  it('documents each variable in a comment above it', () => {
    for (const assignment of assignments) {
      const index = lines.findIndex((line) => line.replace(/^#\s*/, '').startsWith(`${assignment.name}=`));
      const previous = lines[index - 1] ?? '';
      expect(previous, `comment above ${assignment.name}`).toMatch(/^# \S/);
    }
  });

  it('sets production mode', () => {
    expect(assignments.find((assignment) => assignment.name === 'NODE_ENV')).toMatchObject({ active: true, value: 'production' });
  });

  it('passes every active setting through compose', () => {
    for (const assignment of assignments.filter((entry) => entry.active)) {
      expect(composeText, `${assignment.name} is read by compose.yaml`).toContain(`\${${assignment.name}:-`);
    }
  });

  it('comments out the settings compose.yaml fixes', () => {
    for (const assignment of assignments.filter((entry) => !entry.active)) {
      expect(bot.environment?.[assignment.name], `${assignment.name} in compose.yaml`).toBe(assignment.value);
    }
  });

  it('matches the compose defaults', () => {
    for (const assignment of assignments.filter((entry) => entry.active)) {
      expect(withDefaults(bot.environment?.[assignment.name]), assignment.name).toBe(assignment.value);
    }
  });
});

/** One `FROM` block of the Dockerfile, with continuation lines joined and comments removed. */
interface Stage {
  from: string;
  instructions: Array<{ keyword: string; argument: string }>;
}

function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', argument = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), argument: argument.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') stages.push({ from: instruction.argument, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = parseDockerfile(readFileSync(path.join(dockerDir, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const argumentsOf = (keyword: string) => runtime.instructions.filter((entry) => entry.keyword === keyword).map((entry) => entry.argument);

  it('builds in one stage and runs in another', () => {
    expect(stages.map((stage) => stage.from)).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim AS runtime']);
  });

  it('compiles in the build stage', () => {
    const runs = stages[0]!.instructions.filter((entry) => entry.keyword === 'RUN').map((entry) => entry.argument);
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run build');
  });

  it('installs only production dependencies at runtime', () => {
    expect(argumentsOf('RUN').some((run) => run.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('copies the compiled code and office content', () => {
    const copies = argumentsOf('COPY');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies).toContain('flows ./flows');
  });

  it('runs as a non-root user', () => {
    const users = argumentsOf('USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks health on /healthz', () => {
    const [healthcheck] = argumentsOf('HEALTHCHECK');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toContain('fetch(');
  });

  it('listens on all interfaces at port 3000', () => {
    expect(argumentsOf('EXPOSE')).toEqual(['3000']);
    const environment = argumentsOf('ENV').join(' ');
    expect(environment).toContain('HOST=0.0.0.0');
    expect(environment).toContain('PORT=3000');
  });

  it('keeps data on a volume', () => {
    expect(argumentsOf('VOLUME')).toEqual(['["/app/data"]']);
  });

  it('stops on SIGTERM', () => {
    expect(argumentsOf('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('runs the compiled entry point', () => {
    const [command] = argumentsOf('CMD');
    expect(JSON.parse(command!)).toEqual(['node', 'dist/src/main.js']);
  });
});

describe('.dockerignore', () => {
  it('leaves local state out of the build context', () => {
    const entries = readFileSync(path.join(repositoryRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['node_modules', 'data', 'dist', 'test-artifacts', '.git']) expect(entries).toContain(entry);
  });
});
