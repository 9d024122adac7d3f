/** RFC 9728 well-known path of OAuth protected resource metadata. */
export const metadataPrefix = '/.well-known/oauth-protected-resource';

/** The metadata URL of a resource: the well-known path goes between its origin and its path (RFC 9728 §3.1). */
export function metadataUrlOf(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${metadataPrefix}${url.pathname === '/' ? '' : url.pathname}`;
}

export interface MetadataInput {
  /** The resource identifier tokens are bound to (the server's URL, or the audience when that is a URL). */
  resource: string;
  /** The server's own URL, whose path the front answers on besides the resource's. */
  localResourceUrl: string;
  authorizationServers: readonly string[];
  scopesSupported: readonly string[];
}

/** The metadata document and the paths the HTTP front serves it at. */
export function metadataDocuments(input: MetadataInput): Map<string, unknown> {
  const document = {
    resource: input.resource,
    ...(input.authorizationServers.length === 0 ? {} : { authorization_servers: input.authorizationServers }),
    scopes_supported: input.scopesSupported,
    bearer_methods_supported: ['header'],
  };
  const paths = [metadataPrefix, new URL(metadataUrlOf(input.resource)).pathname, new URL(metadataUrlOf(input.localResourceUrl)).pathname];
  return new Map(paths.map((path) => [path, document]));
}
