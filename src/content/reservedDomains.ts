/**
 * Addresses at domains reserved for examples (RFC 2606, RFC 6761):
 * example.com, example.org, example.net and anything under .example, .test
 * or .invalid. Email sent there reaches no one and links go nowhere, so an
 * address like this is a placeholder someone forgot to replace. The check
 * warns; the launch check (`npm run check -- --launch`) makes it an error.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';

export const RESERVED_DOMAIN_RULE = 'reserved-domain';

/** The reserved part: a second-level example domain, or a reserved top-level one. */
const RESERVED_SUFFIX = /\.?example\.(?:com|org|net)|\.(?:example|test|invalid)/gi;
const RESERVED_TLD = /^\.(?:example|test|invalid)$/i;
const HOST_CHAR = /[a-z0-9.-]/i;
const ADDRESS_CHAR = /[^\s<>()[\]{}"'`|\\,;]/;
/** Bounds on how far an address is followed either side: a DNS name is at most 253 characters. */
const MAX_HOST = 253;
const MAX_ADDRESS = 512;

export interface ReservedAddress {
  /** The whole address as written: an email address, a web address or a bare domain. */
  address: string;
  /** The reserved domain it uses. */
  domain: string;
  /** Offset of the address in the text. */
  index: number;
}

/** Every address at a reserved domain in one line of text. Linear in the line's length. */
export function findReservedAddresses(line: string): ReservedAddress[] {
  const found: ReservedAddress[] = [];
  let coveredTo = -1;
  for (const m of line.matchAll(RESERVED_SUFFIX)) {
    const end = m.index + m[0].length;
    // The name must end here: not "example.organisation", not "x.test.js".
    const after = line.slice(end, end + 2);
    if (/^[a-z0-9-]/i.test(after) || /^\.[a-z0-9]/i.test(after)) continue;
    let start = m.index;
    while (start > 0 && end - start < MAX_HOST && HOST_CHAR.test(line[start - 1]!)) start--;
    while (line[start] === '.' || line[start] === '-') start++;
    const host = line.slice(start, end);
    if (RESERVED_TLD.test(m[0]) ? host.length <= m[0].length : !/^(?:.*\.)?example\.[a-z]+$/i.test(host)) continue;
    let from = start;
    while (from > 0 && start - from < MAX_ADDRESS && ADDRESS_CHAR.test(line[from - 1]!)) from--;
    let to = end;
    while (to < line.length && to - end < MAX_ADDRESS && ADDRESS_CHAR.test(line[to]!)) to++;
    while (to > end && /[.:!?]/.test(line[to - 1]!)) to--;
    if (from <= coveredTo) continue; // a second reserved name inside the same address
    coveredTo = to;
    const scheme = /^mailto:/i.exec(line.slice(from, to))?.[0].length ?? 0;
    found.push({ address: line.slice(from + scheme, to), domain: host.toLowerCase(), index: from + scheme });
  }
  return found;
}

/**
 * Warnings for every reserved address in a file's text. `skipLine` says
 * which lines to pass over (YAML comments, which visitors never see).
 */
export function checkReservedAddresses(
  file: string,
  text: string,
  skipLine: (lineIndex: number, line: string) => boolean = () => false,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  text.split('\n').forEach((line, i) => {
    if (skipLine(i, line)) return;
    for (const found of findReservedAddresses(line)) {
      diagnostics.push({
        ...diagnostic(file, describe(found), { line: i + 1, column: found.index + 1 }, 'warning'),
        rule: RESERVED_DOMAIN_RULE,
      });
    }
  });
  return diagnostics;
}

function describe({ address, domain }: ReservedAddress): string {
  const reserved = /example\.(?:com|org|net)$/i.exec(domain)?.[0] ?? domain.slice(domain.lastIndexOf('.'));
  const isEmail = address.includes('@') && !address.includes('://');
  const consequence = isEmail ? 'no one receives email sent there' : 'it leads nowhere';
  return (
    `${address} uses ${reserved}, a domain reserved for examples and tests: ` +
    `${consequence}. Replace it with a real ` +
    `${isEmail ? 'email address' : 'web address'} before the site goes live`
  );
}

/** YAML lines that are whole-line comments. */
export function isYamlComment(line: string): boolean {
  return /^\s*#/.test(line);
}
