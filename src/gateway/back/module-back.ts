import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { UserError } from '../../errors.js';
import { ErrorCode, errorResponse, isRequest } from '../jsonrpc.js';
import type { Caller, JSONRPCMessage, SessionInfo } from '../types.js';
import { ServerLink } from './server-link.js';
import type { Back, BackConnection } from './types.js';

/** What a user's module must give us: anything with the SDK's `connect(transport)` (McpServer or Server). */
interface ConnectableServer {
  connect(transport: ServerLink): Promise<void>;
  close?(): Promise<void>;
}
type ServerFactory = () => ConnectableServer | Promise<ConnectableServer>;

const typeScriptExtensions = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Serves a module exporting createServer() in-process: one server instance per session, no extra hop. */
export async function createModuleBack(entry: string, cwd = process.cwd()): Promise<Back> {
  const factory = await loadFactory(entry, cwd);
  return {
    // An instance of the user's server per session is cheap; one instance serves stateless requests for all.
    capabilities: { defaultMaxSessions: 1000, sharedConnection: true },
    description: `module ${entry}`,
    async probe() {
      const server = await instantiate(factory, entry);
      await server.close?.();
    },
    async connect(session) {
      return connectServer(await instantiate(factory, entry), session);
    },
    async close() {},
  };
}

async function loadFactory(entry: string, cwd: string): Promise<ServerFactory> {
  const path = resolve(cwd, entry);
  if (!existsSync(path)) throw new UserError(`module not found: ${entry}`, { hint: 'give the path of a module that exports createServer(), e.g. dist/server.js' });
  let module: Record<string, unknown>;
  try {
    if (typeScriptExtensions.has(extname(path))) {
      // tsx compiles .ts on the fly, so a project can be served without a build step; loaded only when needed.
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
    } else {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new UserError(`cannot load ${entry}: ${(error as Error).message.split('\n')[0]}`, { exitCode: 4, cause: error });
  }
  const factory = module.createServer ?? module.default;
  if (typeof factory !== 'function') {
    throw new UserError(`${entry} does not export createServer()`, {
      hint: 'export a function returning an McpServer: export function createServer() { return new McpServer(…) }',
    });
  }
  return factory as ServerFactory;
}

async function instantiate(factory: ServerFactory, entry: string): Promise<ConnectableServer> {
  let server: ConnectableServer;
  try {
    server = await factory();
  } catch (error) {
    throw new UserError(`createServer() in ${entry} threw: ${(error as Error).message}`, { exitCode: 4, cause: error });
  }
  if (typeof server?.connect !== 'function') {
    throw new UserError(`createServer() in ${entry} did not return an MCP server (McpServer or Server from @modelcontextprotocol/sdk)`, { exitCode: 4 });
  }
  return server;
}

async function connectServer(server: ConnectableServer, session: SessionInfo): Promise<BackConnection> {
  let closed = false;
  const connection: BackConnection = {
    onmessage: undefined,
    onreset: undefined,
    send(message: JSONRPCMessage, caller?: Caller) {
      if (closed) {
        if (isRequest(message)) connection.onmessage?.(errorResponse(message.id, ErrorCode.backUnavailable, 'the server is closed'), undefined);
        return;
      }
      link.deliver(message, caller?.authenticated ? { authInfo: authInfoOf(caller) } : undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      await (server.close ? server.close() : link.close());
    },
  };
  const link = new ServerLink((message, related) => connection.onmessage?.(message, related));
  link.sessionId = session.front === 'http' ? session.id : undefined;
  await server.connect(link);
  return connection;
}

const authInfos = new WeakMap<Caller, AuthInfo>();

/** What the user's tool handlers see as `extra.authInfo`: the verified caller, never the token itself. */
function authInfoOf(caller: Caller): AuthInfo {
  let info = authInfos.get(caller);
  if (info === undefined) {
    info = describeCaller(caller);
    authInfos.set(caller, info);
  }
  return info;
}

function describeCaller(caller: Caller): AuthInfo {
  return {
    token: '',
    clientId: caller.sub,
    scopes: [...caller.scopes],
    ...(caller.expiresAt === undefined ? {} : { expiresAt: Math.floor(caller.expiresAt / 1000) }),
    extra: { sub: caller.sub, claims: caller.claims },
  };
}
