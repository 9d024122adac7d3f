import type { ServeFlags } from '../commands/serve.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { parseInteger } from '../units.js';

/** Lays the command line over mcpctl.json: a flag, when given, wins over its key. */
export function applyServeFlags(config: Config, moduleOperands: string[], childCommand: string[] | undefined, flags: ServeFlags): Config {
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
  const set = <K extends keyof Config>(key: K, value: Config[K] | undefined): void => {
    if (value !== undefined) merged[key] = value;
  };
  set('transport', flags.transport);
  set('port', flags.port === undefined ? undefined : parseInteger(flags.port, '--port', 0, 65535));
  set('host', flags.host);
  set('path', flags.path);
  set('stateless', flags.stateless);
  set('maxBody', flags.maxBody);
  set('maxMessage', flags.maxMessage);
  set('requestTimeout', flags.requestTimeout);
  set('maxSessions', flags.maxSessions === undefined ? undefined : parseInteger(flags.maxSessions, '--max-sessions', 1, 1_000_000));
  set('maxSessionsPerCaller', flags.maxSessionsPerCaller === undefined ? undefined : parseInteger(flags.maxSessionsPerCaller, '--max-sessions-per-caller', 1, 1_000_000));
  set('sessionIdle', flags.sessionIdle);
  set('bodyTimeout', flags.bodyTimeout);
  set('allowOrigins', flags.allowOrigin && [...(config.allowOrigins ?? []), ...flags.allowOrigin]);
  set('allowHosts', flags.allowHost && [...(config.allowHosts ?? []), ...flags.allowHost]);
  set('grace', flags.grace);
  set('log', flags.log);
  set('record', flags.record);
  set('childEnv', flags.childEnv && [...(config.childEnv ?? []), ...flags.childEnv]);

  if (flags.auth === false) {
    delete merged.auth;
  } else {
    const auth = { ...config.auth };
    const setAuth = <K extends keyof typeof auth>(key: K, value: (typeof auth)[K] | undefined): void => {
      if (value !== undefined) auth[key] = value;
    };
    setAuth('dev', flags.dev);
    setAuth('issuer', flags.issuer);
    setAuth('audience', flags.audience);
    setAuth('jwksUrl', flags.jwksUrl);
    setAuth('jwksFile', flags.jwksFile);
    setAuth('publicKey', flags.publicKey);
    setAuth('secretEnv', flags.secretEnv);
    setAuth('algorithms', flags.algorithms?.split(',').map((name) => name.trim()).filter(Boolean));
    setAuth('clockTolerance', flags.clockTolerance);
    setAuth('maxTokenAge', flags.maxTokenAge);
    setAuth('authorizationServers', flags.authorizationServer);
    if (Object.keys(auth).length > 0) merged.auth = auth;
  }

  const rateLimit = { ...config.rateLimit };
  if (flags.rateLimit !== undefined) rateLimit.default = flags.rateLimit;
  if (flags.toolRateLimit) rateLimit.tools = { ...rateLimit.tools, ...parseToolRates(flags.toolRateLimit) };
  if (flags.redis !== undefined) rateLimit.redis = flags.redis;
  if (flags.onStoreError !== undefined) rateLimit.onStoreError = flags.onStoreError;
  if (Object.keys(rateLimit).length > 0) merged.rateLimit = rateLimit;

  const tracing = { ...config.tracing };
  if (flags.otlpEndpoint !== undefined) tracing.otlpEndpoint = flags.otlpEndpoint;
  if (flags.traceSample !== undefined) tracing.sample = parseRatio(flags.traceSample);
  if (Object.keys(tracing).length > 0) merged.tracing = tracing;
  return merged;
}

function parseRatio(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new UserError(`--trace-sample must be a number from 0 to 1, got "${text}"`);
  return value;
}

function parseToolRates(entries: string[]): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.lastIndexOf('=');
    if (at <= 0 || at === entry.length - 1) throw new UserError(`--tool-rate-limit takes tool=rate, e.g. search=10/min; got "${entry}"`);
    rates[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return rates;
}
