import chalk, { Chalk, chalkStderr } from 'chalk';

// chalk turns colour off for a non-TTY stream, TERM=dumb and FORCE_COLOR=0, but ignores NO_COLOR
// (https://no-color.org), which users set once for every tool.
const noColor = (process.env.NO_COLOR ?? '') !== '';
const plain = new Chalk({ level: 0 });

/** Styles for text written to stdout: plain when NO_COLOR is set or stdout is not a terminal. */
export const color = noColor ? plain : chalk;

/** Styles for text written to stderr, which can be a terminal when stdout is piped. */
export const errorColor = noColor ? plain : chalkStderr;
