import { UserError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { redactFragments } from '../redaction.js';
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
import type { ServeSettings } from './settings.js';

export interface ServeOptions {
  verbose?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const anonymousStdio: Caller = { sub: 'stdio', authenticated: false, scopes: new Set() };

/** `mcpctl serve`: joins the configured back and front through the middleware chain and runs until stopped. */
export async function serve(settings: ServeSettings, options: ServeOptions = {}): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const logger = createLogger({ format: settings.log, verbose: options.verbose ?? false });
  const { transport, grace: graceMs } = settings;
  const limits: MessageLimits = { maxMessageBytes: settings.maxMessage ?? settings.maxBody, requestTimeoutMs: settings.requestTimeout };
  const back = await createBack(settings, logger, cwd, env, limits);
  await back.probe();

  const maxSessions = settings.maxSessions ?? back.capabilities.defaultMaxSessions;
  const http =
    transport === 'http'
      ? new NodeHttpFront({
          back,
          logger,
          host: settings.host,
          port: settings.port,
          path: settings.path,
          stateless: settings.stateless,
          maxBodyBytes: settings.maxBody,
          maxSessions,
          maxSessionsPerCaller: settings.maxSessionsPerCaller ?? Math.ceil(maxSessions / 4),
          idleSessionMs: settings.sessionIdle,
          bodyTimeoutMs: settings.bodyTimeout,
          limits,
          maxBufferedBytes: 2 * limits.maxMessageBytes,
          allowOrigins: settings.allowOrigins,
          allowHosts: settings.allowHosts,
        })
      : undefined;
  const resourceUrl = http ? await http.listen() : undefined;

  const features = await createFeatures(settings, { front: transport, resourceUrl, logger, cwd, env, redact: redactFragments(settings) });
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

async function createBack(settings: ServeSettings, logger: Logger, cwd: string, env: NodeJS.ProcessEnv, limits: MessageLimits): Promise<Back> {
  if (settings.command) {
    return createChildBack({ command: settings.command, logger, env, secretEnv: settings.auth?.secretEnv, passEnv: settings.childEnv, maxMessageBytes: limits.maxMessageBytes });
  }
  if (settings.entry) return createModuleBack(settings.entry, cwd);
  throw new UserError('nothing to serve', {
    hint: 'give a module (mcpctl serve dist/server.js), a command after -- (mcpctl serve -- node server.js), or "entry" in mcpctl.json',
  });
}
