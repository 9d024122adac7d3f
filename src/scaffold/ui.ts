import { color } from '../cli/color.js';

export interface Outcome {
  ok: boolean;
  text: string;
}

/** How init talks while it works: clack's frames on a terminal, plain lines otherwise (logs, CI, pipes). */
export interface InitUi {
  start(title: string): void;
  info(text: string): void;
  warn(text: string): void;
  /** A slow step: a spinner on a terminal, a line before and after otherwise. */
  task<T>(title: string, run: () => Promise<T>, outcome: (result: T) => Outcome): Promise<T>;
  /** The closing block, e.g. the commands to run next. */
  end(title: string, lines: string[]): void;
}

export async function createUi(terminal: boolean): Promise<InitUi> {
  return terminal ? clackUi() : plainUi();
}

async function clackUi(): Promise<InitUi> {
  const clack = await import('@clack/prompts');
  return {
    start: (title) => clack.intro(title),
    info: (text) => clack.log.info(text),
    warn: (text) => clack.log.warn(text),
    async task(title, run, outcome) {
      const spinner = clack.spinner();
      spinner.start(title);
      const result = await run();
      const { ok, text } = outcome(result);
      if (ok) spinner.stop(text);
      else spinner.error(text);
      return result;
    },
    end(title, lines) {
      clack.note(lines.join('\n'), title);
      clack.outro('Done.');
    },
  };
}

function plainUi(): InitUi {
  // A reader that stops early (`| head`) must not stop init halfway: the output is a courtesy, the files are the work.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const say = (text: string): void => void process.stdout.write(`${text}\n`);
  return {
    start: (title) => say(color.bold(title)),
    info: say,
    warn: (text) => say(color.yellow(text)),
    async task(title, run, outcome) {
      say(`${title}…`);
      const result = await run();
      const { ok, text } = outcome(result);
      say(ok ? text : color.yellow(text));
      return result;
    },
    end(title, lines) {
      say(`\n${title}:`);
      for (const line of lines) say(line === '' ? '' : `  ${line}`);
    },
  };
}
