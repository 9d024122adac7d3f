import { isLoopback } from '../../http-url.js';

/** The hostname of a Host header value ("example.com:8080" → "example.com", "[::1]:80" → "[::1]"). */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  const colon = hostHeader.indexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

/**
 * DNS-rebinding and cross-site protection. A server bound to loopback answers only loopback Host names and
 * loopback (or listed) Origins; one bound elsewhere checks Host only when --allow-host lists names.
 */
export class RequestGuards {
  private readonly loopbackOnly: boolean;
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(bindHost: string, allowHosts: readonly string[], allowOrigins: readonly string[]) {
    this.loopbackOnly = isLoopback(bindHost);
    this.hosts = new Set(allowHosts.map((host) => hostnameOf(host)));
    this.origins = new Set(allowOrigins.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  }

  /** A reason to refuse the Host header, or undefined. */
  checkHost(header: string | null): string | undefined {
    if (!header) return 'missing Host header';
    if (!this.loopbackOnly && this.hosts.size === 0) return undefined;
    const name = hostnameOf(header);
    if (this.hosts.has(name) || (this.loopbackOnly && isLoopback(name))) return undefined;
    return `Host "${header}" is not allowed (add it with --allow-host)`;
  }

  /** The request's Origin when it is allowed (for CORS headers), undefined when absent; false when refused. */
  checkOrigin(origin: string | null): string | undefined | false {
    if (origin === null) return undefined;
    const normalized = origin.toLowerCase();
    if (this.origins.has(normalized) || this.origins.has('*')) return origin;
    if (this.loopbackOnly) {
      try {
        if (isLoopback(new URL(normalized).hostname)) return origin;
      } catch {
        return false;
      }
    }
    return false;
  }
}
