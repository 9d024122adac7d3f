import { basename, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { directoryFor, packageNameFrom, packageNameProblem } from './package-name.js';
import { inspectTarget } from './place.js';
import { defaultTemplate, findTemplate, type Template } from './templates.js';

export type Transport = 'stdio' | 'http';

/** The command line of `mcpctl init`; undefined means "not given": ask, or take the default. */
export interface InitFlags {
  template?: string;
  name?: string;
  transport?: Transport;
  auth?: boolean;
  yes?: boolean;
  install?: boolean;
  git?: boolean;
  force?: boolean;
  mcpctl?: string;
}

export interface InitChoices {
  /** Absolute path of the project directory. */
  target: string;
  /** The directory as the user wrote it (or as derived from the name), for messages and `cd`. */
  shown: string;
  name: string;
  template: Template;
  transport: Transport;
  auth: boolean;
  install: boolean;
  git: boolean;
}

export const defaults = { name: 'my-mcp-server', transport: 'http', auth: false, install: true, git: true } as const;

export function checkName(name: string): void {
  const problem = packageNameProblem(name);
  if (problem !== undefined) throw new UserError(`invalid package name "${name}": ${problem}`, { hint: 'choose another with --name, e.g. --name my-server' });
}

/** Refuses a directory that is not empty, unless --force; says nothing about one that does not exist yet. */
export function checkTarget(target: string, shown: string, force: boolean | undefined): void {
  if (inspectTarget(target, shown) === 'occupied' && force !== true) {
    throw new UserError(`${shown} is not empty: choose a new directory, or add --force to put the project beside the files there (none is overwritten)`);
  }
}

/** The name a directory suggests, when --name is not given. */
export function nameFor(dir: string | undefined): string {
  return dir === undefined ? defaults.name : packageNameFrom(basename(resolve(dir)));
}

/** Choices without asking: flags where given, defaults elsewhere. */
export function defaultChoices(dir: string | undefined, flags: InitFlags): InitChoices {
  const name = flags.name ?? nameFor(dir);
  const shown = dir ?? directoryFor(name);
  return {
    target: resolve(shown),
    shown,
    name,
    template: findTemplate(flags.template ?? defaultTemplate),
    transport: flags.transport ?? defaults.transport,
    auth: flags.auth ?? defaults.auth,
    install: flags.install ?? defaults.install,
    git: flags.git ?? defaults.git,
  };
}

/** The choices as a short table, printed when init asked nothing. */
export function describeChoices(choices: InitChoices): string[] {
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  return [
    `directory  ${choices.shown}`,
    `name       ${choices.name}`,
    `template   ${choices.template.name}: ${choices.template.description}`,
    `transport  ${choices.transport}`,
    `auth       ${choices.auth ? 'on (dev key from "mcpctl keys init")' : 'off'}`,
    `install    ${yesNo(choices.install)}`,
    `git init   ${yesNo(choices.git)}`,
  ];
}
