import { Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { collect, commandAfterDash } from './target-options.js';

export interface ServeFlags {
  config?: string;
  transport?: 'stdio' | 'http';
  port?: string;
  host?: string;
  path?: string;
  stateless?: boolean;
  maxBody?: string;
  maxMessage?: string;
  requestTimeout?: string;
  maxSessions?: string;
  maxSessionsPerCaller?: string;
  sessionIdle?: string;
  bodyTimeout?: string;
  allowOrigin?: string[];
  allowHost?: string[];
  grace?: string;
  log?: 'text' | 'json';
  record?: string;
  childEnv?: string[];
  // auth
  auth?: boolean;
  dev?: boolean;
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
  jwksFile?: string;
  publicKey?: string;
  secretEnv?: string;
  algorithms?: string;
  clockTolerance?: string;
  maxTokenAge?: string;
  authorizationServer?: string[];
  // rate limits
  rateLimit?: string;
  toolRateLimit?: string[];
  redis?: string;
  onStoreError?: 'open' | 'closed';
  // tracing
  otlpEndpoint?: string;
  traceSample?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run an MCP server behind the gateway: stdio or Streamable HTTP, with auth, rate limits and tracing')
    .argument('[entry]', 'module exporting createServer() (.js or .ts), served in-process; or give a command after --')
    .argument('[command...]', 'after --: any MCP server command, spawned and spoken to over stdio')
    .option('-c, --config <file>', 'config file (default: mcpctl.json if present)')
    .addOption(new Option('-t, --transport <kind>', 'front transport').choices(['stdio', 'http']))
    .option('-p, --port <port>', 'HTTP port (default 8080; 0 picks a free one)')
    .option('--host <host>', 'HTTP bind address (default 127.0.0.1)')
    .option('--path <path>', 'HTTP endpoint path (default /mcp)')
    .option('--stateless', 'HTTP without sessions: every request stands alone')
    .option('--max-body <size>', 'largest HTTP request body (default 4mb)')
    .option('--max-message <size>', 'largest JSON-RPC message on a line (stdio, a child\'s stdout) (default: --max-body)')
    .option('--request-timeout <duration>', 'answer a request with an error when it has no answer within this (default 5m)')
    .option('--max-sessions <n>', 'most concurrent HTTP sessions (default 1000; 32 with a command back)')
    .option('--max-sessions-per-caller <n>', 'most HTTP sessions one caller may hold (default: a quarter of --max-sessions)')
    .option('--session-idle <duration>', 'close an HTTP session after this long without a request (default 30m)')
    .option('--body-timeout <duration>', 'an HTTP request\'s head and body must arrive within this (default 30s)')
    .option('--allow-origin <origin>', 'allow browser requests from this Origin (repeatable)', collect)
    .option('--allow-host <host>', 'accept this Host header besides the bound address (repeatable)', collect)
    .option('--grace <duration>', 'on SIGINT/SIGTERM, how long calls in flight may finish (default 10s)')
    .addOption(new Option('--log <format>', 'request log format on stderr').choices(['text', 'json']))
    .option('--record <file>', 'append every request and its answer to a JSONL file (for mcpctl replay)')
    .option('--child-env <name>', 'pass this variable to a child server although mcpctl withholds it, e.g. LANGFUSE_SECRET_KEY (repeatable)', collect)
    .option('--no-auth', 'serve without authentication, even if mcpctl.json configures it')
    .option('--dev', 'trust the dev key from "mcpctl keys init" (issuer and audience defaults)')
    .option('--issuer <iss>', 'required token issuer (iss)')
    .option('--audience <aud>', 'required token audience (default: this server\'s URL, e.g. http://127.0.0.1:8080/mcp)')
    .option('--jwks-url <url>', 'verify tokens with keys from this JWKS URL (cached)')
    .option('--jwks-file <file>', 'verify tokens with keys from this JWKS file')
    .option('--public-key <file>', 'verify tokens with this PEM public key')
    .option('--secret-env <var>', 'verify HS256 tokens with the secret in this env var (dev only)')
    .option('--algorithms <list>', 'allowed JWT algorithms, comma-separated (default: from the key type)')
    .option('--clock-tolerance <duration>', 'allowed clock skew for exp/nbf/iat (default 30s)')
    .option('--max-token-age <duration>', 'refuse tokens issued (iat) longer ago than this')
    .option('--authorization-server <url>', 'authorization server for RFC 9728 metadata (default: the issuer; repeatable)', collect)
    .option('--rate-limit <rate>', 'budget per caller, e.g. 60/min, 10/s, 1000/h')
    .option('--tool-rate-limit <tool=rate>', 'budget per caller for one tool, e.g. search=10/min (repeatable)', collect)
    .option('--redis <url>', 'share rate-limit buckets through Redis, e.g. redis://127.0.0.1:6379/0')
    .addOption(new Option('--on-store-error <policy>', 'when Redis is down: open (per-instance limits) or closed (refuse)').choices(['open', 'closed']))
    .option('--otlp-endpoint <url>', 'also send spans to this OTLP/HTTP endpoint')
    .option('--trace-sample <ratio>', 'fraction of calls to trace, 0..1 (default 1)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcpctl serve dist/server.js                          in-process module over stdio
  $ mcpctl serve src/server.ts --transport http          a .ts module, no build step, on :8080/mcp
  $ mcpctl serve --transport http -- npx -y @modelcontextprotocol/server-everything
  $ mcpctl serve dist/server.js -t http --dev            auth with the dev key from "mcpctl keys init"
  $ mcpctl serve dist/server.js -t http --jwks-url https://idp.example.com/.well-known/jwks.json \\
      --issuer https://idp.example.com/ --rate-limit 60/min --tool-rate-limit search=10/min

Keys in mcpctl.json (flags override them): entry, command, transport, port, host, path, stateless, maxBody,
maxMessage, requestTimeout, maxSessions, maxSessionsPerCaller, sessionIdle, bodyTimeout, allowOrigins, allowHosts,
grace, log, record, redact, redactDefaults, childEnv, auth{…}, rateLimit{…}, tracing{…}.`,
    )
    .action(async (entry: string | undefined, operands: string[], flags: ServeFlags, cmd: Command) => {
      const [{ loadConfig, checkConfig }, { applyServeFlags }, { serve }] = await Promise.all([
        import('../config.js'),
        import('../serve/serve-flags.js'),
        import('../serve/serve.js'),
      ]);
      const config: Config = loadConfig(flags.config, flags.config !== undefined);
      const childCommand = commandAfterDash();
      const moduleOperands = [entry, ...operands].filter((operand): operand is string => operand !== undefined);
      if (childCommand) moduleOperands.splice(moduleOperands.length - childCommand.length);
      const merged = checkConfig(applyServeFlags(config, moduleOperands, childCommand, flags), 'serve flags and config');
      await serve(merged, { verbose: cmd.optsWithGlobals<{ verbose?: boolean }>().verbose === true });
    });
}
