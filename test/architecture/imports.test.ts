import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/serve.js';
import { importViolations } from './import-rules.js';

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
    ]);
    expect(importViolations(tree)).toEqual([
      'src/auth/sneaky.ts → src/gateway/session.ts: a feature imports the gateway only through src/gateway/index.ts',
      'src/auth/sneaky.ts → src/ratelimit/limiter.ts: a feature imports no other feature',
      'src/gateway/front/lazy.ts → src/auth/index.ts: the gateway imports no feature, command, client or assembly',
      'src/tracing/upward.ts → src/serve/serve.ts: a feature imports nothing above it',
      'src/shared/upward.ts → src/gateway/jsonrpc.ts: src/shared/ imports no other folder',
    ]);
  });
});
