/**
 * A setting of `mcpctl serve` declared once, as one row: its flag and help, its key in mcpctl.json with the zod
 * schema of the value there, how a repeated flag merges, its default, and the transform to the value the server
 * uses (ms, bytes, budgets, URLs). A table of rows (src/serve/settings.ts, each feature contributing its section)
 * makes the commander options, the merge of flags over mcpctl.json, the config schema and the typed settings.
 * Zod is handed in as an argument and imported here for its types only, so the table loads with the CLI for free.
 */
import type { z } from 'zod';
import { parseDuration, parseInteger, parseSize } from './units.js';

export type Zod = typeof z;

/** A value mcpctl.json can hold (as the bound of a row's J, it also keeps "stdio" from widening to string). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** One setting. J: its value as mcpctl.json holds it; T: the typed value; F: what its flag gives (a list when repeatable). */
export interface Setting<J = unknown, T = J, F = string> {
  /** Commander's flags, e.g. "-p, --port <port>"; none for a key that only mcpctl.json sets. */
  readonly flag?: string;
  /** The flag's help line; "{default}" stands for the default. */
  readonly help?: string;
  /** The only values the flag and the key accept (commander lists them in the help). */
  readonly choices?: readonly string[];
  /** A repeatable flag: its values extend the key's list ("append"), replace it ("replace") or join its map ("assign"). */
  readonly repeat?: 'append' | 'replace' | 'assign';
  /** The value, as mcpctl.json would hold it, when neither the flag nor the key gives one. */
  readonly default?: J;
  /** The schema of the value in mcpctl.json (a flag's value, once turned into JSON, is checked by it too). */
  json(zod: Zod): z.ZodType<J>;
  /** The flag's text as mcpctl.json would hold it (default: as is); `flag` is the long flag, for messages. */
  fromFlag?(value: F, flag: string): J;
  /** The checked value to what the server uses (default: as is); a bad value is one line (UserError). */
  parse?(value: J): T;
}

/** A section of mcpctl.json (`auth`, `rateLimit`, `tracing`): a table of its own. */
export interface Section<R extends Table = Table> {
  readonly keys: R;
  /** A flag that drops the whole section, whatever mcpctl.json and the other flags say (`--no-auth`). */
  readonly off?: { readonly flag: string; readonly help: string };
}

export interface Table {
  readonly [key: string]: Setting<unknown, unknown, unknown> | Section;
}

/** The typed settings a table makes: a key with a default always has a value; a section is there when configured. */
export type SettingsOf<R extends Table> = {
  -readonly [K in keyof R]: R[K] extends Section<infer S>
    ? SettingsOf<S> | undefined
    : R[K] extends Setting<unknown, infer T, unknown>
      ? R[K] extends { readonly default: unknown }
        ? T
        : T | undefined
      : never;
};

/** The shape of mcpctl.json a table describes. */
export type ConfigOf<R extends Table> = {
  -readonly [K in keyof R]?: R[K] extends Section<infer S> ? ConfigOf<S> : R[K] extends Setting<infer J, unknown, unknown> ? J : never;
};

/**
 * Declares a row: the types of its value come from its schema, its transform and its flag reader (NoInfer: not
 * from the table it sits in), and whether it has a default.
 */
export function setting<J extends Json, T = J, F = string>(row: Setting<J, T, F> & { readonly default: J }): NoInfer<Setting<J, T, F> & { readonly default: J }>;
export function setting<J extends Json, T = J, F = string>(row: Setting<J, T, F>): NoInfer<Setting<J, T, F>>;
export function setting<J extends Json, T, F>(row: Setting<J, T, F>): Setting<J, T, F> {
  return row;
}

/** Declares a section of mcpctl.json: its rows, and the flag that drops it, if any. */
export function section<R extends Table>(keys: R, off?: Section['off']): Section<R> {
  return off === undefined ? { keys } : { keys, off };
}

/** A duration: "250ms", "10s", "5m", "1h" (typed text needs its unit) or, in mcpctl.json, a number of ms; typed in ms. */
export function duration(what: string): Pick<Setting<string | number, number>, 'json' | 'parse'> {
  return { json: (zod) => zod.union([zod.string(), zod.number().nonnegative()]), parse: (value) => parseDuration(value, what) };
}

/** A size: "4mb", "16kb", "100" or a JSON count; typed in bytes. */
export function size(what: string): Pick<Setting<string | number, number>, 'json' | 'parse'> {
  return { json: (zod) => zod.union([zod.string(), zod.number().int().positive()]), parse: (value) => parseSize(value, what) };
}

/** One of a few words, for the flag (commander refuses others) and the key alike. */
export function choice<const C extends readonly [string, ...string[]]>(choices: C): { readonly choices: C; json(zod: Zod): z.ZodType<C[number]> } {
  return { choices, json: (zod) => zod.enum(choices) };
}

/** Reads a flag's whole number within [min, max] ("--port must be a whole number from 0 to 65535, got …"). */
export function wholeNumber(min: number, max?: number): (text: string, flag: string) => number {
  return (text, flag) => parseInteger(text, flag, min, max);
}

function isSection(entry: Table[string]): entry is Section {
  return 'keys' in entry;
}

/** A flag of the table, as commander takes it. */
export interface FlagRow {
  /** Where its value goes: the key's path ("port", "auth.jwksUrl"), or the section's for an off flag. */
  readonly key: string;
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly repeatable: boolean;
}

/** Every flag in table order, a section's off flag before its keys'. */
export function flagRows(table: Table, prefix = ''): FlagRow[] {
  const rows: FlagRow[] = [];
  for (const [name, entry] of Object.entries(table)) {
    const key = prefix + name;
    if (isSection(entry)) {
      if (entry.off) rows.push({ key, flags: entry.off.flag, description: entry.off.help, repeatable: false });
      rows.push(...flagRows(entry.keys, `${key}.`));
    } else if (entry.flag !== undefined) {
      const description = (entry.help ?? '').replace('{default}', String(entry.default));
      rows.push({ key, flags: entry.flag, description, ...(entry.choices ? { choices: entry.choices } : {}), repeatable: entry.repeat !== undefined });
    }
  }
  return rows;
}

/**
 * Lays the flags over a config: `given` holds each flag's value by its key's path (undefined: not given). A given
 * flag wins over its key, or extends it (repeat), and brings its section into being; an off flag drops its section.
 */
export function mergeFlags<C extends object>(table: Table, config: C, given: ReadonlyMap<string, unknown>, prefix = ''): C {
  const merged = { ...config } as Record<string, unknown>;
  for (const [name, entry] of Object.entries(table)) {
    const key = prefix + name;
    if (isSection(entry)) {
      if (entry.off && given.get(key) === false) {
        delete merged[name];
        continue;
      }
      const inner = mergeFlags(entry.keys, (merged[name] ?? {}) as object, given, `${key}.`);
      if (merged[name] !== undefined || Object.keys(inner).length > 0) merged[name] = inner;
      continue;
    }
    const value = given.get(key);
    if (value === undefined || entry.flag === undefined) continue;
    const json = entry.fromFlag ? entry.fromFlag(value, longFlag(entry.flag)) : value;
    if (entry.repeat === 'append') merged[name] = [...((merged[name] as unknown[] | undefined) ?? []), ...(json as unknown[])];
    else if (entry.repeat === 'assign') merged[name] = { ...(merged[name] as object | undefined), ...(json as object) };
    else merged[name] = json;
  }
  return merged as C;
}

function longFlag(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

/** The zod shape of the config a table describes: every key optional, every section strict (an unknown key is named). */
export function shapeOf(table: Table, zod: Zod): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, (isSection(entry) ? zod.object(shapeOf(entry.keys, zod)).strict() : entry.json(zod)).optional()]));
}

/** The typed settings from a checked config: defaults filled in, each value transformed (one line for a bad one). */
export function settingsOf<R extends Table>(table: R, config: ConfigOf<R>): SettingsOf<R> {
  const settings: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(table)) {
    const value = (config as Record<string, unknown>)[name];
    if (isSection(entry)) {
      settings[name] = value === undefined ? undefined : settingsOf(entry.keys, value as ConfigOf<Table>);
    } else {
      const json = value ?? entry.default;
      settings[name] = json === undefined ? undefined : entry.parse ? entry.parse(json) : json;
    }
  }
  return settings as SettingsOf<R>;
}

/** The keys of mcpctl.json a table describes, a section as `name{…}`. */
export function keyNames(table: Table): string[] {
  return Object.entries(table).map(([name, entry]) => (isSection(entry) ? `${name}{…}` : name));
}
