import { UserError } from '../errors.js';

/** The part of a JSON Schema that argument coercion reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  description?: string;
  default?: unknown;
}

/**
 * Builds a call's arguments from `--args '<json>'` and `key=value` words (which win), coercing each value to the
 * type the input schema gives its key: `count=3` is a number, `dry=true` a boolean, `filter={"a":1}` an object.
 */
export function buildArguments(what: string, words: readonly string[], json: string | undefined, schema: JsonSchema | undefined): Record<string, unknown> {
  const args = json === undefined ? {} : parseJsonObject(json);
  for (const word of words) {
    const equals = word.indexOf('=');
    if (equals <= 0) throw new UserError(`"${word}" is not key=value`, { hint: `e.g. mcpctl call ${what} message=hello count=3, or --args '{"message":"hello"}'` });
    const key = word.slice(0, equals);
    args[key] = coerce(word.slice(equals + 1), propertySchema(what, key, schema), key);
  }
  return args;
}

/** Names the required arguments the call lacks, with their types, before any call is made (exit 2). */
export function checkRequired(what: string, args: Record<string, unknown>, schema: JsonSchema | undefined, example: string): void {
  const missing = (schema?.required ?? []).filter((key) => args[key] === undefined);
  if (missing.length === 0) return;
  const described = missing.map((key) => `${key} (${describeType(schema?.properties?.[key])})`);
  throw new UserError(`${what} needs ${missing.length === 1 ? 'argument' : 'arguments'} ${described.join(', ')}`, {
    hint: `e.g. ${example} ${missing.map((key) => `${key}=…`).join(' ')}`,
  });
}

export function describeType(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join('|');
  const types = typesOf(schema);
  return types.length ? types.join('|') : 'any';
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--args is not valid JSON: ${(error as Error).message}`, { hint: `e.g. --args '{"message":"hello"}'` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError('--args must be a JSON object, e.g. {"message":"hello"}');
  return value as Record<string, unknown>;
}

function propertySchema(what: string, key: string, schema: JsonSchema | undefined): JsonSchema | undefined {
  const property = schema?.properties?.[key];
  if (property || !schema?.properties) return property;
  if (schema.additionalProperties === false) {
    const known = Object.keys(schema.properties);
    throw new UserError(`${what} has no argument "${key}"`, { hint: known.length ? `its arguments: ${known.join(', ')}` : `${what} takes no arguments` });
  }
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function typesOf(schema: JsonSchema): string[] {
  const own = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(typesOf);
  return [...new Set([...own, ...branches])];
}

/**
 * Tries the schema's types in a fixed order, so "3" for number|string is 3 and "null" for string|null is null;
 * a value fits "string" last. Without a schema, JSON objects and arrays are parsed and anything else stays text.
 */
function coerce(text: string, schema: JsonSchema | undefined, key: string): unknown {
  if (schema?.enum) {
    const match = schema.enum.find((value) => value === text || JSON.stringify(value) === text);
    if (match === undefined) throw new UserError(`${key}: expected one of ${describeType(schema)}, got "${text}"`);
    return match;
  }
  const types = schema ? typesOf(schema) : [];
  if (types.length === 0) {
    const value = /^\s*[[{]/.test(text) ? tryJson(text) : noMatch;
    return value === noMatch ? text : value;
  }
  for (const type of ['null', 'boolean', 'integer', 'number', 'object', 'array', 'string']) {
    if (!types.includes(type)) continue;
    const value = coerceTo(type, text);
    if (value !== noMatch) return value;
  }
  throw new UserError(`${key}: expected ${describeType(schema)}, got "${text}"`, { hint: types.some((type) => type === 'object' || type === 'array') ? `give JSON, e.g. ${key}='{"a":1}'` : undefined });
}

const noMatch = Symbol('no match');

function coerceTo(type: string, text: string): unknown {
  switch (type) {
    case 'null':
      return text === 'null' ? null : noMatch;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : noMatch;
    case 'integer':
    case 'number': {
      const value = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(value) && (type === 'number' || Number.isInteger(value)) ? value : noMatch;
    }
    case 'object':
    case 'array': {
      const value = tryJson(text);
      return type === 'array' ? (Array.isArray(value) ? value : noMatch) : typeof value === 'object' && value !== null && !Array.isArray(value) ? value : noMatch;
    }
    default:
      return text;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return noMatch;
  }
}
