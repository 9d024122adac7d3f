import { resolve } from 'node:path';
import { ExitCode } from '../errors.js';
import { checkTarget, defaults, nameFor, type InitChoices, type InitFlags, type Transport } from './choices.js';
import { directoryFor, packageNameProblem } from './package-name.js';
import { defaultTemplate, findTemplate, listTemplates } from './templates.js';

/** Asks, on a terminal, for every choice the flags left open. Ctrl-C leaves before anything is written. */
export async function askChoices(dir: string | undefined, flags: InitFlags): Promise<InitChoices> {
  const clack = await import('@clack/prompts');
  const answer = <T>(value: T): Exclude<T, symbol> => {
    if (clack.isCancel(value)) {
      clack.cancel('Cancelled: nothing was written.');
      process.exit(ExitCode.failure);
    }
    return value as Exclude<T, symbol>;
  };

  const name =
    flags.name ??
    answer(
      await clack.text({
        message: 'Project name (npm package name)',
        placeholder: nameFor(dir),
        defaultValue: nameFor(dir),
        validate: (value) => {
          const candidate = value || nameFor(dir);
          const problem = packageNameProblem(candidate);
          if (problem !== undefined) return `Not a valid package name: ${problem}`;
          if (dir !== undefined) return undefined;
          try {
            checkTarget(resolve(directoryFor(candidate)), directoryFor(candidate), flags.force);
            return undefined;
          } catch (error) {
            return (error as Error).message;
          }
        },
      }),
    );
  const shown = dir ?? directoryFor(name);

  const template =
    flags.template === undefined
      ? findTemplate(
          answer(
            await clack.select({
              message: 'Template',
              options: listTemplates().map((known) => ({ value: known.name, label: known.name, hint: known.description })),
              initialValue: defaultTemplate,
            }),
          ),
        )
      : findTemplate(flags.template);

  const transport =
    flags.transport ??
    answer(
      await clack.select<Transport>({
        message: 'Transport for npm start',
        options: [
          { value: 'http', label: 'Streamable HTTP', hint: 'http://127.0.0.1:8080/mcp: Cursor, the Inspector, remote clients' },
          { value: 'stdio', label: 'stdio', hint: 'stdin/stdout: a client that starts the server itself' },
        ],
        initialValue: defaults.transport,
      }),
    );

  const confirm = async (given: boolean | undefined, message: string, initialValue: boolean): Promise<boolean> =>
    given ?? answer(await clack.confirm({ message, initialValue }));
  const auth = await confirm(flags.auth, 'Require auth (JWTs, signed locally by "mcpctl keys init" while developing)?', defaults.auth);
  const install = await confirm(flags.install, 'Install dependencies (npm install)?', defaults.install);
  const git = await confirm(flags.git, 'Initialize a git repository?', defaults.git);

  return { target: resolve(shown), shown, name, template, transport, auth, install, git };
}
