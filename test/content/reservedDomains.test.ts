import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import {
  checkReservedAddresses,
  findReservedAddresses,
  isYamlComment,
  RESERVED_DOMAIN_RULE,
} from '../../src/content/reservedDomains.js';
import { BUNDLED_SETTINGS, memoryFolder, minimalFiles, page } from '../helpers/site.js';

const addresses = (line: string) => findReservedAddresses(line).map((f) => [f.address, f.domain, f.index]);

describe('addresses at reserved example domains', () => {
  it('finds email addresses, web addresses and bare names at every reserved domain', () => {
    expect(addresses('email team@example.org today')).toEqual([['team@example.org', 'example.org', 6]]);
    expect(addresses('See https://www.example.com/path?q=1.')).toEqual([
      ['https://www.example.com/path?q=1', 'www.example.com', 4],
    ]);
    expect(addresses('[link](http://EXAMPLE.NET)')).toEqual([['http://EXAMPLE.NET', 'example.net', 7]]);
    expect(addresses('<mailto:a@b.example>')).toEqual([['a@b.example', 'b.example', 8]]);
    expect(addresses('hosts ci.test and nothing.invalid, also example.com')).toEqual([
      ['ci.test', 'ci.test', 6],
      ['nothing.invalid', 'nothing.invalid', 18],
      ['example.com', 'example.com', 40],
    ]);
  });

  it('leaves real domains and look-alikes alone', () => {
    for (const line of [
      'email team@nhs.net',
      'example.organisation and examples.com and myexample.com',
      'the file unit.test.js, the word test., a .test on its own',
      'https://example.co.uk/ and example.community',
      'a sentence ending in a test. Another one.',
    ]) {
      expect(addresses(line), line).toEqual([]);
    }
  });

  it('reports each address once, at its line and column, and skips lines it is told to', () => {
    const text = [
      '# contact: old@example.org',
      'contactEmail: "team@example.org"',
      'footer: https://example.com/a and https://x.example.com/b',
    ].join('\n');
    const found = checkReservedAddresses('site.yml', text, (_, line) => isYamlComment(line));
    expect(found.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
      [2, 16, 'warning', RESERVED_DOMAIN_RULE],
      [3, 9, 'warning', RESERVED_DOMAIN_RULE],
      [3, 35, 'warning', RESERVED_DOMAIN_RULE],
    ]);
    expect(found[0]!.message).toBe(
      'team@example.org uses example.org, a domain reserved for examples and ' +
        'tests: no one receives email sent there. Replace it with a real email ' +
        'address before the site goes live',
    );
    expect(found[1]!.message).toMatch(
      /^https:\/\/example\.com\/a uses example\.com, .*: it leads nowhere\. Replace it with a real web address/,
    );
  });

  it('warns, without failing the build, about addresses in site.yml and in pages, but not in YAML comments', () => {
    const settings = BUNDLED_SETTINGS.replace(
      /^contactEmail: .*$/m,
      '# was: old@example.org\ncontactEmail: team@example.org',
    );
    const result = buildSite(
      memoryFolder(
        minimalFiles({
          'site.yml': settings,
          'contact.md': page(
            'title: Contact\ndescription: Write to us.\n# draft address: x@example.org',
            'Email [the team](mailto:team@project.test) or\nsee <https://example.com/>.\n',
          ),
        }),
      ),
    );
    expect(result.site).not.toBeNull();
    const contactLine = settings.split('\n').findIndex((l) => l.startsWith('contactEmail:')) + 1;
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}:${d.severity}`)).toEqual([
      'contact.md:6:25:warning',
      'contact.md:7:6:warning',
      `site.yml:${contactLine}:15:warning`,
    ]);
  });

  it('stays linear on a hostile line', () => {
    const line = `${'a.'.repeat(100_000)}test ${'example.'.repeat(50_000)}`;
    const started = performance.now();
    findReservedAddresses(line);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
