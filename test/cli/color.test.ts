import { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { colorsFor, stylesFor } from '../../src/cli/color.js';

/** A stream as colorsFor sees it: a terminal (with Node's own colour check) or a pipe. */
const terminal = { isTTY: true, hasColors: WriteStream.prototype.hasColors } as unknown as NodeJS.WriteStream;
const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;

describe('colorsFor', () => {
  it('on a terminal that has colours; not on a pipe, nor on TERM=dumb', () => {
    expect(colorsFor(terminal, { TERM: 'xterm-256color' })).toBe(true);
    expect(colorsFor(pipe, { TERM: 'xterm-256color' })).toBe(false);
    expect(colorsFor(terminal, { TERM: 'dumb' })).toBe(false);
  });

  it('NO_COLOR wins over everything; set but empty, it counts as unset', () => {
    expect(colorsFor(terminal, { TERM: 'xterm-256color', NO_COLOR: '1' })).toBe(false);
    expect(colorsFor(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorsFor(terminal, { TERM: 'xterm-256color', NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR as chalk read it: on without a terminal, off on one', () => {
    for (const on of ['', '1', '2', '3', 'true']) expect(colorsFor(pipe, { FORCE_COLOR: on }), on).toBe(true);
    for (const off of ['0', 'false']) expect(colorsFor(terminal, { TERM: 'xterm-256color', FORCE_COLOR: off }), off).toBe(false);
    expect(colorsFor(pipe, { FORCE_COLOR: 'maybe' })).toBe(false);
  });
});

describe('stylesFor', () => {
  it('styles whatever the test run writes to (styleText does not look at stdout), or leaves the text alone', () => {
    const on = stylesFor(true);
    expect([on.red('x'), on.green('x'), on.yellow('x'), on.bold('x'), on.dim('x')]).toEqual(['\x1b[31mx\x1b[39m', '\x1b[32mx\x1b[39m', '\x1b[33mx\x1b[39m', '\x1b[1mx\x1b[22m', '\x1b[2mx\x1b[22m']);
    expect(on.red('')).toBe('');
    // Line by line, as chalk did: a viewer that resets at each line end still dims every line.
    expect(on.dim('its last words:\n1\r\n\n2')).toBe('\x1b[2mits last words:\x1b[22m\n\x1b[2m1\x1b[22m\r\n\x1b[2m\x1b[22m\n\x1b[2m2\x1b[22m');
    expect(stylesFor(false).red('x')).toBe('x');
  });
});
