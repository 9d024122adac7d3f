import type { Attributes } from '@opentelemetry/api';
import type { SpanRecord } from './span-record.js';

/** The attribute names Langfuse reads (its LangfuseOtelSpanAttributes), written out: a package is not needed for names. */
const Langfuse = {
  TRACE_COMPAT_USER_ID: 'langfuse.user.id',
  TRACE_COMPAT_SESSION_ID: 'langfuse.session.id',
  OBSERVATION_TYPE: 'langfuse.observation.type',
  OBSERVATION_LEVEL: 'langfuse.observation.level',
  OBSERVATION_STATUS_MESSAGE: 'langfuse.observation.status_message',
  OBSERVATION_INPUT: 'langfuse.observation.input',
  OBSERVATION_OUTPUT: 'langfuse.observation.output',
  OBSERVATION_MODEL: 'langfuse.observation.model.name',
} as const;

/**
 * A record's facts under the names backends read: Langfuse's (user, session, observation input/output/type/level)
 * and OpenTelemetry's MCP and RPC conventions. Built on the export thread; unset facts are left out.
 */
export function spanAttributes(record: SpanRecord): Attributes {
  const attributes: Attributes = {};
  const set = (key: string, value: string | number | undefined): void => {
    if (value !== undefined) attributes[key] = value;
  };
  const { identity, method, target } = record;
  set(Langfuse.TRACE_COMPAT_USER_ID, identity.user);
  set(Langfuse.TRACE_COMPAT_SESSION_ID, identity.session);
  set('mcp.session.id', identity.session);
  set('client.address', identity.clientAddress);
  set('mcp.method.name', method);
  set('jsonrpc.request.id', record.requestId);
  if (target !== undefined) set(method === 'tools/call' ? 'gen_ai.tool.name' : method === 'prompts/get' ? 'gen_ai.prompt.name' : 'mcp.resource.uri', target);
  set(Langfuse.OBSERVATION_INPUT, record.input);
  set(Langfuse.OBSERVATION_OUTPUT, record.output);
  set(Langfuse.OBSERVATION_TYPE, method === 'tools/call' ? 'tool' : method === 'sampling/createMessage' ? 'generation' : undefined);
  set(Langfuse.OBSERVATION_MODEL, record.model);
  set('mcp.protocol.version', record.protocolVersion);
  set('mcp.outcome', record.outcome);
  set(Langfuse.OBSERVATION_LEVEL, record.failure !== undefined ? 'ERROR' : record.outcome === 'cancelled' ? 'WARNING' : undefined);
  set(Langfuse.OBSERVATION_STATUS_MESSAGE, record.failure);
  set('error.type', record.errorType);
  set('rpc.response.status_code', record.rpcStatus === undefined ? undefined : String(record.rpcStatus));
  set('http.response.status_code', record.httpStatus);
  return attributes;
}
