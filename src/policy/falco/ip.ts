/**
 * IPv4 CIDR membership for `fd.net`-style fields. IPv6 compares as plain text.
 */

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let n = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) {
      return undefined;
    }
    n = n * 256 + octet;
  }
  return n;
}

/**
 * Whether `ip` lies in `cidr` (`10.0.0.0/8`); a value without `/` must equal the address.
 *
 * @example
 * ipInCidr('10.1.2.3', '10.0.0.0/8'); // true
 */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (bitsText === undefined) {
    return ip === cidr;
  }
  const bits = Number(bitsText);
  const a = ipv4ToNumber(ip);
  const b = ipv4ToNumber(base ?? '');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) {
    // TODO: IPv6 networks never match; rules that scope IPv6 ranges miss those events.
    return false;
  }
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}
