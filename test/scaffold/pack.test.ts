import { statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/serve.js';
import { tree } from '../helpers/cli.js';

// npm drops .gitignore files from a tarball, which is why templates store it as _gitignore: check that the
// tarball holds every template file, the CLI and its build, and nothing from the tests.
it('npm pack ships the CLI, its build and every template file', async () => {
  const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot });
  const files = new Set((JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path));
  const templates = join(repoRoot, 'templates');
  const templateFiles = tree(templates).filter((entry) => statSync(join(templates, entry)).isFile());
  expect(templateFiles).toContain('minimal/_gitignore');
  for (const file of templateFiles) expect(files, file).toContain(`templates/${file}`);
  for (const file of ['bin/mcpctl.js', 'dist/cli.js', 'dist/scaffold/init.js', 'package.json', 'README.md']) expect(files).toContain(file);
  expect([...files].filter((file) => file.startsWith('test/') || file.startsWith('src/'))).toEqual([]);
});
