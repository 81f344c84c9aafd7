import { isIP } from 'node:net';

// "node1:value1;node2:value2", the syntax of ocf:heartbeat:redis's tunnel_port_map (blanks are
// ignored, the first ':' separates the node name). Values are ports (tunnel_port_map) or addresses,
// optionally with a port (node_address_map): 10.0.0.1, 10.0.0.1:6380, [fd00::1], [fd00::1]:6380.

export interface NodeEndpoint {
  host?: string;
  port?: number;
}

export interface ParsedNodeMap {
  map: Map<string, NodeEndpoint>;
  /** What was expected, when the text is not a valid map (for the parameter check). */
  problem?: string;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseAddress(text: string): NodeEndpoint | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) return undefined;
    const port = bracketed[2] === undefined ? undefined : parsePort(bracketed[2]);
    if (bracketed[2] !== undefined && port === undefined) return undefined;
    return { host: bracketed[1], port };
  }
  const [host, portText, ...rest] = text.split(':');
  if (!host || rest.length > 0 || !/^[A-Za-z0-9._-]+$/.test(host)) return undefined;
  const port = portText === undefined ? undefined : parsePort(portText);
  if (portText !== undefined && port === undefined) return undefined;
  return { host, port };
}

export function parseNodeMap(text: string, values: 'port' | 'address'): ParsedNodeMap {
  const map = new Map<string, NodeEndpoint>();
  const expected =
    values === 'port' ? '"node:port;node:port" with ports from 1 to 65535' : '"node:address;node:address" (address, address:port, [ipv6] or [ipv6]:port)';
  for (const entry of text.replace(/\s+/g, '').split(';')) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon <= 0) return { map, problem: expected };
    const node = entry.slice(0, colon);
    const value = entry.slice(colon + 1);
    const endpoint = values === 'port' ? (parsePort(value) === undefined ? undefined : { port: parsePort(value) }) : parseAddress(value);
    if (!endpoint) return { map, problem: expected };
    map.set(node, endpoint);
  }
  return { map };
}

/** The node a tunnel port belongs to (the reverse lookup heartbeat/redis does for its messages). */
export function nodeOfPort(map: ReadonlyMap<string, NodeEndpoint>, port: number): string | undefined {
  for (const [node, endpoint] of map) if (endpoint.port === port) return node;
  return undefined;
}
