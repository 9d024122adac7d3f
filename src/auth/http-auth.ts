import { ErrorCode, errorResponse, type HttpAuthenticator, type HttpRefusal } from '../gateway/index.js';
import type { Logger } from '../log.js';
import { readBearer } from './bearer.js';
import { bearerChallenge } from './challenge.js';
import type { TokenVerifier } from './verifier.js';

export interface HttpAuthOptions {
  verifier: TokenVerifier;
  /** Named in every challenge, so a client can find out where to get a token (RFC 9728). */
  resourceMetadataUrl: string;
  logger: Logger;
}

/**
 * The HTTP front's authenticator: every request's bearer token is verified (cached per token), and refusals
 * follow RFC 6750 and MCP 2025-11-25: 401 without an error code for a missing token, `invalid_token` for a bad
 * one, with a JSON-RPC error as the body.
 */
export function createHttpAuthenticator(options: HttpAuthOptions): HttpAuthenticator {
  const { verifier, logger } = options;
  const resource_metadata = options.resourceMetadataUrl;
  const missing = refusal(401, { 'www-authenticate': bearerChallenge({ resource_metadata }) }, 'Unauthorized: send a bearer token (Authorization: Bearer <token>)');
  const duplicate = refusal(
    400,
    { 'www-authenticate': bearerChallenge({ error: 'invalid_request', error_description: 'send one Authorization header', resource_metadata }) },
    'Bad request: more than one Authorization header',
  );
  const unavailable = refusal(503, { 'retry-after': '30' }, 'Service unavailable: the server cannot fetch its signing keys right now; retry later');
  // The reasons are a fixed set of our own phrases, so their refusals can be built once.
  const invalid = new Map<string, HttpRefusal>();
  const invalidToken = (reason: string, remoteAddress: string | undefined): HttpRefusal => {
    logger.warn('authentication failed', { reason, remote: remoteAddress });
    let answer = invalid.get(reason);
    if (answer === undefined) {
      answer = refusal(401, { 'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: reason, resource_metadata }) }, `Unauthorized: ${reason}`);
      invalid.set(reason, answer);
    }
    return answer;
  };
  return {
    async authenticate(headers, remoteAddress, authorizationHeaders) {
      const credential = readBearer(headers, authorizationHeaders);
      switch (credential.kind) {
        case 'token': {
          const verification = await verifier.verify(credential.token);
          if (verification.ok) return verification.caller;
          if (verification.unavailable) {
            logger.warn('cannot verify a token: no signing keys', { remote: remoteAddress });
            return unavailable;
          }
          return invalidToken(verification.reason, remoteAddress);
        }
        case 'none':
          return missing;
        case 'duplicate':
          logger.warn('authentication failed', { reason: 'more than one Authorization header', remote: remoteAddress });
          return duplicate;
        case 'bad':
          return invalidToken(credential.reason, remoteAddress);
      }
    },
  };
}

function refusal(status: number, headers: Record<string, string>, message: string): HttpRefusal {
  return {
    refused: true,
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(errorResponse(null, ErrorCode.unauthorized, message)),
    reason: message,
  };
}
