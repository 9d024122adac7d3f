import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { mergeFlags } from '../setting-rows.js';
import { serveTable } from './settings.js';

/**
 * Lays the command line over mcpctl.json: the module operand or the command after -- wins over "entry" and
 * "command"; each flag, by the settings table (`given`: its value by its key's path), wins over its key.
 */
export function applyServeFlags(config: Config, moduleOperands: string[], childCommand: string[] | undefined, given: ReadonlyMap<string, unknown>): Config {
  if (moduleOperands.length > 1) {
    throw new UserError(`serve takes one module, got ${moduleOperands.length}: ${moduleOperands.join(' ')}`, {
      hint: 'to serve a command, put it after --, e.g. mcpctl serve -- node server.js',
    });
  }
  if (moduleOperands.length === 1 && childCommand?.length) {
    throw new UserError('give either a module or a command after --, not both');
  }
  if (childCommand !== undefined && childCommand.length === 0) throw new UserError('nothing after --: name the server command to run, e.g. -- node server.js');
  const merged: Config = { ...config };
  if (moduleOperands[0] !== undefined) {
    merged.entry = moduleOperands[0];
    delete merged.command;
  }
  if (childCommand !== undefined) {
    merged.command = childCommand;
    delete merged.entry;
  }
  return mergeFlags(serveTable, merged, given);
}
