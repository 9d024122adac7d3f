import type { IncomingMessage } from 'node:http';

/**
 * A request's headers as Web Headers, read straight from node:http's parse. They behave as a Request's headers do
 * (any case in names, a header sent twice joined with ", ", iteration sorted by lowercase name, set-cookie apart,
 * immutable) without being copied into an undici Headers, which would cost the front a fifth of its CPU per call.
 */
export class NodeHeaders implements Headers {
  /** Every value of each header, by lowercase name (node:http builds it on first use). */
  private readonly distinct: Readonly<Record<string, string[] | undefined>>;

  constructor(req: IncomingMessage) {
    this.distinct = req.headersDistinct;
  }

  /** How many times a header came: one joined value would hide an Authorization sent twice. */
  count(name: string): number {
    return this.distinct[name.toLowerCase()]?.length ?? 0;
  }

  get(name: string): string | null {
    const values = this.distinct[name.toLowerCase()];
    if (values === undefined) return null;
    return values.length === 1 ? values[0]! : values.join(', ');
  }

  has(name: string): boolean {
    return this.distinct[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    return [...(this.distinct['set-cookie'] ?? [])];
  }

  forEach(callback: (value: string, key: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  entries(): IterableIterator<[string, string]> {
    const pairs: [string, string][] = [];
    for (const name of Object.keys(this.distinct).sort()) {
      if (name === 'set-cookie') for (const cookie of this.distinct[name]!) pairs.push([name, cookie]);
      else pairs.push([name, this.get(name)!]);
    }
    return pairs.values();
  }

  keys(): IterableIterator<string> {
    return [...this.entries()].map(([name]) => name).values();
  }

  values(): IterableIterator<string> {
    return [...this.entries()].map(([, value]) => value).values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** A request's headers cannot be changed (the Fetch standard's "immutable" guard). */
  append(_name: string, _value: string): never {
    throw new TypeError('the headers of a request cannot be changed');
  }

  set(name: string, value: string): never {
    return this.append(name, value);
  }

  delete(name: string): never {
    return this.append(name, '');
  }
}
