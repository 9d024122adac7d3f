import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/serve.js';
import { importViolations, nodeBoundFiles, runtimeViolations } from './import-rules.js';

function sourceTree(): Map<string, string> {
  const files = (readdirSync(join(repoRoot, 'src'), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
  return new Map(files.map((file) => [relative(repoRoot, join(repoRoot, 'src', file)).split('\\').join('/'), readFileSync(join(repoRoot, 'src', file), 'utf8')]));
}

describe('import direction', () => {
  it('holds in src/: the gateway imports no feature, and features import only its contract and no other feature', () => {
    const tree = sourceTree();
    expect(tree.size).toBeGreaterThan(50);
    expect(importViolations(tree)).toEqual([]);
  });

  it('catches a feature reaching into a gateway internal, a gateway importing a feature, a feature importing another, and src/shared/ importing upward (the gateway may use it)', () => {
    const tree = new Map([
      ['src/auth/sneaky.ts', "import { GatewaySession } from '../gateway/session.js';\nimport type { Limiter } from '../ratelimit/limiter.js';"],
      ['src/gateway/front/lazy.ts', "const { createAuth } = await import('../../auth/index.js');"],
      ['src/record/fine.ts', "import { refuse, type Feature } from '../gateway/index.js';\nimport { z } from 'zod';"],
      ['src/tracing/upward.ts', "export { serve } from '../serve/serve.js';"],
      ['src/gateway/back/spawner.ts', "import { spawnStdioServer } from '../../shared/stdio-server.js';"],
      ['src/shared/upward.ts', "import { describeExit } from '../process-exit.js';\nimport { ErrorCode } from '../gateway/jsonrpc.js';"],
      ['src/auth/adapter.ts', "import { NodeHttpFront } from '../adapters/node-http.js';"],
    ]);
    expect(importViolations(tree)).toEqual([
      'src/auth/sneaky.ts → src/gateway/session.ts: a feature imports the gateway only through src/gateway/index.ts',
      'src/auth/sneaky.ts → src/ratelimit/limiter.ts: a feature imports no other feature',
      'src/gateway/front/lazy.ts → src/auth/index.ts: the gateway imports no feature, command, client or assembly',
      'src/tracing/upward.ts → src/serve/serve.ts: a feature imports nothing above it',
      'src/shared/upward.ts → src/gateway/jsonrpc.ts: src/shared/ imports no other folder',
      'src/auth/adapter.ts → src/adapters/node-http.ts: a feature imports nothing above it',
    ]);
  });
});

describe('the gateway runs on any runtime', () => {
  it('holds in src/: no node: module, Node global or Node-bound file in the gateway bar its backs and stdio front', () => {
    const tree = sourceTree();
    for (const file of nodeBoundFiles.keys()) expect(tree.has(file), file).toBe(true);
    expect([...tree.keys()].filter((file) => file.startsWith('src/gateway/web/')).length).toBeGreaterThan(5);
    expect(runtimeViolations(tree)).toEqual([]);
  });

  it('catches a node: import (even for types), a bare built-in, a Node global, and one reached through another file', () => {
    const tree = new Map([
      ['src/gateway/web/typed.ts', "import type { IncomingMessage } from 'node:http';\nexport type R = IncomingMessage;"],
      ['src/gateway/web/bare.ts', "import { readFile } from 'fs/promises';\nimport 'node:process';"],
      ['src/gateway/web/globals.ts', "// Buffer in a comment is fine\nexport const size = Buffer.byteLength('x');\nsetTimeout(() => {}, 1).unref();\nexport const cwd = process.cwd();"],
      ['src/gateway/web/indirect.ts', "import { helper } from '../../helper.js';\nimport { createModuleBack } from '../back/module-back.js';"],
      ['src/helper.ts', "import { hostname } from 'node:os';\nimport { url } from './ok.js';"],
      ['src/ok.ts', "export const url = 'http://example.com';"],
      ['src/gateway/back/module-back.ts', "import { existsSync } from 'node:fs';"],
      ['src/gateway/web/fine.ts', "import { errorResponse } from '../jsonrpc.js';\nconst url = 'http://127.0.0.1'; // a process.exit() in a comment\nexport const id = crypto.randomUUID();"],
    ]);
    expect(runtimeViolations(tree)).toEqual([
      'src/gateway/web/typed.ts → node:http: the gateway imports no node: module outside its Node-bound files',
      'src/gateway/web/bare.ts → fs/promises: the gateway imports no node: module outside its Node-bound files',
      'src/gateway/web/bare.ts → node:process: the gateway imports no node: module outside its Node-bound files',
      'src/gateway/web/globals.ts uses Buffer: Node only (timers: use unref() from src/gateway/timers.ts)',
      'src/gateway/web/globals.ts uses .unref(): Node only (timers: use unref() from src/gateway/timers.ts)',
      'src/gateway/web/globals.ts uses process.c: Node only (timers: use unref() from src/gateway/timers.ts)',
      'src/gateway/web/indirect.ts → src/helper.ts → node:os: reaches a node: module',
      'src/gateway/web/indirect.ts → src/gateway/back/module-back.ts: reaches a Node-bound file (loads the user\'s module from a file)',
    ]);
  });
});
