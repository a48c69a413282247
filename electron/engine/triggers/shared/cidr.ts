/** An IPv4 or IPv6 network, as `cidr` filters (EventBridge patterns, SNS filter policies) name it. */
export interface CidrBlock {
  version: 4 | 6;
  network: bigint;
  prefixBits: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    out = (out << 8n) | BigInt(Number(part));
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  let head = groups(halves[0]!);
  let tail = halves.length === 2 ? groups(halves[1]!) : [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  if (last?.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    const extra = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    if (halves.length === 2) tail = [...tail.slice(0, -1), ...extra];
    else head = [...head.slice(0, -1), ...extra];
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let out = 0n;
  for (const group of [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    out = (out << 16n) | BigInt(parseInt(group, 16));
  }
  return out;
}

export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** Parses `10.0.0.0/24` or `2001:db8::/32`; undefined when it is not a CIDR block. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefixBits = Number(bitsText);
  const width = ip.version === 4 ? 32 : 128;
  if (prefixBits > width) return undefined;
  const shift = BigInt(width - prefixBits);
  return { version: ip.version, network: (ip.value >> shift) << shift, prefixBits };
}

export function cidrContains(block: CidrBlock, address: string): boolean {
  const ip = parseIp(address);
  if (!ip || ip.version !== block.version) return false;
  const shift = BigInt((block.version === 4 ? 32 : 128) - block.prefixBits);
  return (ip.value >> shift) << shift === block.network;
}
