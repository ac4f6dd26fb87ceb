import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/source-imports';

const PAGES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** A page's text without its fenced code blocks, where `[x](y)` is code, not a link. */
const prose = (file: string): string =>
  readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '');

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(file: string): Set<string> {
  const headings = [...prose(file).matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1] as string);
  return new Set(
    headings.map((heading) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** Each relative link target of a page (`[text](target)`), web and mail links left out. */
const relativeLinks = (file: string): string[] =>
  [...prose(file).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));

/** Why a link does not resolve, or undefined when it does. */
function brokenBecause(page: string, link: string): string | undefined {
  const [target = '', anchor] = link.split('#');
  const file = target === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
  if (!existsSync(path.join(REPO_ROOT, file))) return `${link}: no file ${file}`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  return anchorsOf(file).has(decodeURIComponent(anchor))
    ? undefined
    : `${link}: no heading #${anchor} in ${file}`;
}

/** A path with `{a,b}` alternatives as every path it stands for. */
function expandBraces(text: string): string[] {
  const match = /\{([^}]*)\}/.exec(text);
  if (!match) return [text];
  const [before, after] = [text.slice(0, match.index), text.slice(match.index + match[0].length)];
  return (match[1] as string).split(',').flatMap((choice) => expandBraces(`${before}${choice}${after}`));
}

/** The repository paths a page quotes in backticks (`shared/aws/…`, `test/…`), placeholders left out. */
const quotedPaths = (file: string): string[] =>
  [...prose(file).matchAll(/`((?:shared|functions|infra|test|docs)\/[^`\s]*)`/g)]
    .flatMap((m) => expandBraces(m[1] as string))
    .map((quoted) => quoted.replace(/[#:].*$/, ''))
    .filter((quoted) => !/[<*…]/.test(quoted));

describe('the relative links of the docs', () => {
  it('finds the pages and their links', () => {
    expect(PAGES).toEqual(
      expect.arrayContaining(['README.md', 'docs/configuration.md', 'docs/rolling-updates.md']),
    );
    expect(PAGES.flatMap(relativeLinks).length).toBeGreaterThan(20);
  });

  it.each(PAGES)('of %s each name a file that exists and, with #anchor, one of its headings', (page) => {
    const broken = relativeLinks(page).flatMap((link) => brokenBecause(page, link) ?? []);
    expect(broken).toEqual([]);
  });
});

// BENCHMARKS.md is a dated log: its paths are those of the code it measured then.
const CURRENT_PAGES = PAGES.filter((page) => page !== 'docs/BENCHMARKS.md');

describe('the repository paths the docs quote', () => {
  it('are found', () => {
    expect(CURRENT_PAGES.flatMap(quotedPaths).length).toBeGreaterThan(50);
  });

  it.each(CURRENT_PAGES)('in %s each exist', (page) => {
    expect(quotedPaths(page).filter((quoted) => !existsSync(path.join(REPO_ROOT, quoted)))).toEqual([]);
  });
});
