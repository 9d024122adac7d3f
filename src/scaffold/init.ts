import { resolve } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { checkName, checkTarget, defaultChoices, describeChoices, type InitFlags } from './choices.js';
import { initGit } from './git.js';
import { installDependencies } from './install.js';
import { nextSteps, shellQuote } from './next-steps.js';
import { defaultMcpctlRange } from '../own-package.js';
import { writeProject } from './place.js';
import { renderTemplate } from './render.js';
import { findTemplate } from './templates.js';
import { createUi } from './ui.js';

/** `mcpctl init [dir]`: asks on a terminal, takes defaults elsewhere, writes the project whole or not at all. */
export async function runInit(dir: string | undefined, flags: InitFlags): Promise<void> {
  // Whatever the command line says is checked before the first question, and before the first file.
  if (dir === '') throw new UserError('the directory is empty: name one, or leave it out', { hint: 'e.g. mcpctl init my-server, or mcpctl init . for the current directory' });
  if (flags.mcpctl === '') throw new UserError('--mcpctl needs a dependency spec, e.g. file:../mcpctl or ^0.1.0');
  if (flags.template !== undefined) findTemplate(flags.template);
  if (flags.name !== undefined) checkName(flags.name);
  if (dir !== undefined) checkTarget(resolve(dir), dir, flags.force);

  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const ask = terminal && flags.yes !== true;
  const ui = await createUi(terminal);
  ui.start('mcpctl init');
  const choices = ask ? await (await import('./ask.js')).askChoices(dir, flags) : defaultChoices(dir, flags);
  checkName(choices.name);
  // A directory from the command line was checked above; one chosen now (asked, or from the name) is checked here.
  if (dir === undefined) checkTarget(choices.target, choices.shown, flags.force);
  if (!ask) {
    ui.info([terminal ? 'Asking nothing (--yes); using:' : 'No terminal, so no questions; using:', ...describeChoices(choices).map((line) => `  ${line}`)].join('\n'));
  }

  const files = await writeProject(choices.target, choices.shown, (staging) =>
    renderTemplate(choices.template, staging, { name: choices.name, transport: choices.transport, auth: choices.auth, mcpctl: flags.mcpctl ?? defaultMcpctlRange }),
  );
  ui.info(`Created ${choices.shown} from the ${choices.template.name} template (${files.length} files).`);

  if (choices.git) {
    const outcome = await initGit(choices.target);
    if (outcome.ok) ui.info(outcome.note);
    else ui.warn(outcome.note);
  }
  if (choices.install) {
    const outcome = await ui.task('Installing dependencies (npm install)', () => installDependencies(choices.target), (result) =>
      result.ok ? { ok: true, text: 'Installed dependencies.' } : { ok: false, text: 'npm install failed.' },
    );
    if (!outcome.ok) {
      throw new UserError(`npm install failed: ${outcome.reason}`, {
        exitCode: ExitCode.failure,
        hint: `the project is complete in ${choices.shown}; fix the cause, then run: cd ${shellQuote(choices.shown)} && npm install`,
      });
    }
  }
  ui.end('Next steps', nextSteps(choices));
}
