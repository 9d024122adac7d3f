/** Raw HTTP requests to an MCP endpoint, for what the SDK client would never send. */
export const initializeBody = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

export const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Opens a session with a raw initialize; returns its id. */
export async function openSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const answer = await post(url, initializeBody, headers);
  if (answer.status !== 200) throw new Error(`initialize failed: ${answer.status} ${answer.text}`);
  return answer.headers.get('mcp-session-id')!;
}
