import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const mcpctlBin = fileURLToPath(new URL('../../bin/mcpctl.js', import.meta.url));
export const echoServer = fileURLToPath(new URL('../fixtures/echo-server.mjs', import.meta.url));

export interface RunningServe {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  url: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `mcpctl serve <args> --transport http --port 0` from the built CLI and waits for its "serving on"
 * line. Stopped by pid in afterAll/afterEach via stop().
 */
export async function startServe(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunningServe> {
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  const child = dash === -1 ? [] : args.slice(dash);
  const proc = spawn(process.execPath, [mcpctlBin, 'serve', ...own, '--transport', 'http', '--port', '0', ...child], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  proc.stdout!.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // a serve that never got ready must not outlive the test
      reject(new Error(`serve did not start within ${options.timeoutMs ?? 20_000} ms:\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    proc.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /serving on (http:\/\/[^\s"]+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    url,
    process: proc,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}

/** An SDK client over Streamable HTTP, with an optional bearer token. */
export async function connectHttp(url: string, options: { token?: string; name?: string } = {}): Promise<Client> {
  const client = new Client({ name: options.name ?? 'test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), options.token ? { requestInit: { headers: { Authorization: `Bearer ${options.token}` } } } : {});
  await client.connect(transport);
  return client;
}

/** An SDK client over stdio to `command args`. */
export async function connectStdio(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  const transport = new StdioClientTransport({ command, args, env: { ...(process.env as Record<string, string>), ...options.env }, cwd: options.cwd ?? repoRoot, stderr: 'pipe' });
  await client.connect(transport);
  return client;
}

/** `mcpctl serve <args>` over stdio, through the real SDK client. */
export function connectServeStdio(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Client> {
  return connectStdio(process.execPath, [mcpctlBin, 'serve', ...args], options);
}
