/** A JSON-RPC error answer, as the server sent it. */
export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** The server's JSON-RPC error inside an SDK McpError (which prefixes the message), or undefined for other errors. */
export function rpcErrorOf(error: unknown): RpcError | undefined {
  if (!(error instanceof Error) || error.name !== 'McpError') return undefined;
  const { code, data } = error as Error & { code: number; data?: unknown };
  const message = error.message.replace(/^MCP error -?\d+: /, '');
  return data === undefined ? { code, message } : { code, message, data };
}

/** The HTTP status of the SDK's StreamableHTTPError / SseError (its `code`), if this is one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || !/^(Streamable HTTP|SSE) error:/.test(error.message)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'number' && code >= 100 ? code : undefined;
}

/** The JSON-RPC error a refusing server put in the HTTP body, which the SDK keeps in its message as text. */
export function httpBodyErrorOf(error: unknown): Partial<RpcError> | undefined {
  const text = error instanceof Error ? error.message : '';
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const body = JSON.parse(text.slice(start)) as { error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (typeof body.error?.message !== 'string') return undefined;
    const { code, message, data } = body.error;
    return { message, ...(typeof code === 'number' ? { code } : {}), ...(data === undefined ? {} : { data }) };
  } catch {
    return undefined;
  }
}
