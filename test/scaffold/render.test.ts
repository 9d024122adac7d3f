import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { renderTemplate } from '../../src/scaffold/render.js';
import { listTemplates } from '../../src/scaffold/templates.js';
import { repoRoot } from '../helpers/serve.js';
import { tempDir, tree } from '../helpers/cli.js';

const temp = tempDir('render');
afterAll(() => temp.remove());
const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

const cases = listTemplates().flatMap((template) =>
  (['http', 'stdio'] as const).flatMap((transport) => [true, false].map((auth) => ({ template, transport, auth }))),
);

describe.each(cases)('$template.name, transport $transport, auth $auth', ({ template, transport, auth }) => {
  const dir = join(temp.dir, `${template.name}-${transport}-${auth}`);

  it('writes an mcpctl.json that mcpctl serve accepts, with the choices in it', async () => {
    mkdirSync(dir);
    await renderTemplate(template, dir, { name: '@acme/demo', transport, auth, mcpctl: '^9.9.9' });
    const config = configSchema.parse(JSON.parse(readFileSync(join(dir, 'mcpctl.json'), 'utf8')));
    expect(config).toMatchObject({ entry: 'dist/server.js', transport });
    expect(config.auth !== undefined).toBe(auth);
    if (template.name === 'full') expect(Object.keys(config)).toEqual(expect.arrayContaining(['rateLimit', 'tracing']));
  });

  it('names the project everywhere and pins the versions mcpctl is built with', () => {
    const files = tree(dir);
    expect(files).toContain('.gitignore');
    expect(files).not.toContain('_gitignore');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.mcpctl\/$/m);
    for (const file of files.filter((entry) => entry.includes('.'))) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain('my-mcp-server');
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/demo', type: 'module', scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run', start: 'mcpctl serve dist/server.js' } });
    expect(pkg.dependencies).toEqual({
      '@modelcontextprotocol/sdk': own.dependencies['@modelcontextprotocol/sdk'],
      mcpctl: '^9.9.9',
      zod: own.dependencies.zod,
    });
    expect(pkg.devDependencies).toEqual({ '@types/node': own.devDependencies['@types/node'], typescript: own.devDependencies.typescript, vitest: own.devDependencies.vitest });
    expect(readFileSync(join(dir, 'src', 'server.ts'), 'utf8')).toContain("name: '@acme/demo'");
  });
});
