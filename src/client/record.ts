import type { GatewayFeature } from '../gateway/types.js';
import type { Logger } from '../log.js';

/** `serve --record calls.jsonl`: appends every request and its answer, one JSON object per line. */
export async function createRecorder(_file: string, _environment: { logger: Logger }): Promise<GatewayFeature & { description: string }> {
  throw new Error('recording is not implemented yet');
}
