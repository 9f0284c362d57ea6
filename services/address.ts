/** Parsing of configured addresses, to decide which servers are local (and so ours to start). */

export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(address: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address);
  if (!match) throw new Error(`not a host:port address: ${address}`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export function parseUrlHostPort(url: string, defaultPort: number): HostPort {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : defaultPort };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
