import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { redactFragments } from '../redaction.js';
import { parseDuration, parseSize } from '../units.js';
import { NodeHttpFront } from '../adapters/node-http.js';
import { createChildBack } from '../gateway/back/child-back.js';
import { createModuleBack } from '../gateway/back/module-back.js';
import type { Back } from '../gateway/back/types.js';
import type { MessageLimits } from '../gateway/bounds.js';
import { compose } from '../gateway/compose.js';
import { StdioFront } from '../gateway/front/stdio-front.js';
import type { Caller, Middleware } from '../gateway/index.js';
import { log } from '../gateway/middleware/log.js';
import { createFeatures } from './features.js';

export interface ServeOptions {
  verbose?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const anonymousStdio: Caller = { sub: 'stdio', authenticated: false, scopes: new Set() };

/** `mcpctl serve`: joins the configured back and front through the middleware chain and runs until stopped. */
export async function serve(config: Config, options: ServeOptions = {}): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const logger = createLogger({ format: config.log ?? 'text', verbose: options.verbose ?? false });
  // Settings first: a bad value is reported before any server process is started.
  const transport = config.transport ?? 'stdio';
  const graceMs = parseDuration(config.grace ?? '10s', 'grace period');
  const maxBodyBytes = parseSize(config.maxBody ?? '4mb', 'max body size');
  const limits: MessageLimits = {
    maxMessageBytes: config.maxMessage === undefined ? maxBodyBytes : parseSize(config.maxMessage, 'max message size'),
    requestTimeoutMs: parseDuration(config.requestTimeout ?? '5m', 'request timeout'),
  };
  const back = await createBack(config, logger, cwd, env, limits);
  await back.probe();

  const maxSessions = config.maxSessions ?? back.capabilities.defaultMaxSessions;
  const http =
    transport === 'http'
      ? new NodeHttpFront({
          back,
          logger,
          host: config.host ?? '127.0.0.1',
          port: config.port ?? 8080,
          path: config.path ?? '/mcp',
          stateless: config.stateless ?? false,
          maxBodyBytes,
          maxSessions,
          maxSessionsPerCaller: config.maxSessionsPerCaller ?? Math.ceil(maxSessions / 4),
          idleSessionMs: parseDuration(config.sessionIdle ?? '30m', 'session idle time'),
          bodyTimeoutMs: parseDuration(config.bodyTimeout ?? '30s', 'body timeout'),
          limits,
          maxBufferedBytes: 2 * limits.maxMessageBytes,
          allowOrigins: config.allowOrigins ?? [],
          allowHosts: config.allowHosts ?? [],
        })
      : undefined;
  const resourceUrl = http ? await http.listen() : undefined;

  const features = await createFeatures(config, { front: transport, resourceUrl, logger, cwd, env, redact: redactFragments(config) });
  const middlewares = features.map((feature) => feature.middleware).filter((middleware): middleware is Middleware => middleware !== undefined);
  const chain = compose([log({ logger, notifications: options.verbose ?? false }), ...middlewares]);
  const summary = [back.description, ...features.map((feature) => feature.description)].join('; ');

  let stop: (graceMs: number) => Promise<void>;
  let finished: Promise<void>;
  if (http) {
    http.start(chain, features);
    logger.info(`serving on ${resourceUrl}`, { back: summary });
    stop = (ms) => http.stop(ms);
    finished = http.closed;
  } else {
    const stdio = new StdioFront({ back, chain, caller: features.find((feature) => feature.stdioCaller)?.stdioCaller ?? anonymousStdio, logger, limits });
    logger.info('serving on stdio', { back: summary });
    stop = (ms) => stdio.stop(ms);
    finished = stdio.run();
  }

  const shutdown = async (reason: string): Promise<void> => {
    logger.info(`shutting down (${reason})`, { graceMs });
    await stop(graceMs);
    await back.close();
    await Promise.allSettled(features.map((feature) => feature.close?.()));
  };
  let signals = 0;
  const signalled = new Promise<string>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      // A second Ctrl-C means "now": skip the grace period.
      if (++signals > 1) {
        logger.warn(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const reason = await Promise.race([signalled, finished.then(() => 'client closed stdin')]);
  await shutdown(reason);
  process.exit(0);
}

async function createBack(config: Config, logger: Logger, cwd: string, env: NodeJS.ProcessEnv, limits: MessageLimits): Promise<Back> {
  if (config.command) {
    return createChildBack({ command: config.command, logger, env, secretEnv: config.auth?.secretEnv, passEnv: config.childEnv, maxMessageBytes: limits.maxMessageBytes });
  }
  if (config.entry) return createModuleBack(config.entry, cwd);
  throw new UserError('nothing to serve', {
    hint: 'give a module (mcpctl serve dist/server.js), a command after -- (mcpctl serve -- node server.js), or "entry" in mcpctl.json',
  });
}
