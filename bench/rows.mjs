// Rows for the gateway's optional features (auth, rate limits, tracing), each compared with the plain in-process
// HTTP row. A row: { name, baseline, start() → {url, pid, stop, token?}, setup?() → {env?, token?, cleanup?},
// targets?: [{ metric: 'cpu' | 'rps' | 'p50', vs: '<row name>', max: <ratio> }] }.
import { authRows } from './auth-rows.mjs';
import { rateLimitRows } from './ratelimit-rows.mjs';
import { tracingRows } from './tracing-rows.mjs';

export function featureRows({ serveHttp, echo }) {
  return [...authRows({ serveHttp, echo }), ...rateLimitRows({ serveHttp, echo }), ...tracingRows({ serveHttp, echo })];
}
