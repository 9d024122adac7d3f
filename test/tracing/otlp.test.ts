import { afterAll, describe, expect, it } from 'vitest';
import { connectHttp, echoServer, startServe } from '../helpers/serve.js';
import { startReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

describe('--otlp-endpoint', () => {
  const receivers: OtlpReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.close())));

  it('sends the same spans to an OpenTelemetry backend as to Langfuse, without the Langfuse keys', async () => {
    const [langfuse, collector] = await Promise.all([startReceiver(), startReceiver()]);
    receivers.push(langfuse, collector);
    const serve = await startServe([echoServer, '--otlp-endpoint', collector.url, '--trace-sample', '1'], {
      env: { LANGFUSE_PUBLIC_KEY: 'pk-lf-otlp', LANGFUSE_SECRET_KEY: 'sk-lf-otlp', LANGFUSE_BASE_URL: langfuse.url },
    });
    expect(serve.stderr()).toContain(`tracing: Langfuse ${langfuse.url}, OTLP ${collector.url}/v1/traces`);
    const client = await connectHttp(serve.url);
    await client.callTool({ name: 'echo', arguments: { message: 'to both' } });
    await client.close();
    expect(await serve.stop()).toBe(0);

    const ids = (receiver: OtlpReceiver): string[] => receiver.spans.map((span) => `${span.traceId}/${span.spanId} ${span.name}`).sort();
    expect(ids(collector)).toEqual(ids(langfuse));
    expect(ids(collector).some((id) => id.endsWith(' tools/call echo'))).toBe(true);
    expect(collector.requests.every((request) => request.path === '/v1/traces' && request.headers.authorization === undefined)).toBe(true);
    expect(JSON.stringify(collector.requests)).not.toContain('sk-lf-otlp');
  });

  it('works alone, from OTEL_EXPORTER_OTLP_ENDPOINT; --log json lines carry the trace id', async () => {
    const collector = await startReceiver();
    receivers.push(collector);
    const serve = await startServe([echoServer, '--log', 'json'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, LANGFUSE_PUBLIC_KEY: '', LANGFUSE_SECRET_KEY: '' } });
    // startServe reads the URL from a text line; in a JSON line it runs on into the closing quote.
    const client = await connectHttp(serve.url.split('"')[0]!);
    await client.callTool({ name: 'echo', arguments: { message: 'otlp only' } });
    await client.close();
    expect(await serve.stop()).toBe(0);
    const echo = collector.spans.find((span) => span.name === 'tools/call echo')!;
    expect(echo.attributes['langfuse.observation.input']).toBe('{"message":"otlp only"}');
    const lines = serve.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.msg === 'tools/call')).toMatchObject({ target: 'echo', outcome: 'ok', trace: echo.traceId });
  });
});
