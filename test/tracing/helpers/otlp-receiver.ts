import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as it arrived over OTLP/HTTP JSON, with its attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  traceState: string | undefined;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
  status: { code?: number; message?: string };
  scope: string;
  /** The resource's service.name. */
  service: string | undefined;
}

export interface OtlpReceiver {
  /** The base URL, e.g. http://127.0.0.1:41234 (what LANGFUSE_BASE_URL or --otlp-endpoint take). */
  url: string;
  /** Each POST: its path and headers. */
  requests: { path: string; headers: IncomingHttpHeaders; contentType: string | undefined }[];
  spans: ReceivedSpan[];
  /** Resolves once `predicate` holds for the spans received so far. */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback OTLP/HTTP receiver that decodes JSON exports. `hang` accepts requests and never answers (a stuck
 * backend); `refuse` answers 401 like Langfuse with wrong keys.
 */
export async function startReceiver(mode: 'ok' | 'hang' | 'refuse' = 'ok'): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const spans: ReceivedSpan[] = [];
  const waiting = new Set<() => void>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, contentType: req.headers['content-type'] });
      if (mode === 'hang') return void hanging.add(res);
      if (mode === 'refuse') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Invalid credentials"}');
      spans.push(...decode(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const check of waiting) check();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`spans did not arrive within ${timeoutMs} ms; got: ${spans.map((span) => span.name).join(', ')}`));
        }, timeoutMs);
        const check = (): void => {
          if (!predicate(spans)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}

interface OtlpExport {
  resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { scope?: { name: string }; spans: OtlpSpan[] }[] }[];
}

function decode(body: OtlpExport): ReceivedSpan[] {
  return body.resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        traceState: span.traceState || undefined,
        name: span.name,
        kind: span.kind,
        startMs: Number(BigInt(span.startTimeUnixNano) / 1_000_000n),
        endMs: Number(BigInt(span.endTimeUnixNano) / 1_000_000n),
        attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue ?? ''])),
        status: span.status ?? {},
        scope: scope.scope?.name ?? '',
        service: resource.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue,
      })),
    ),
  );
}
