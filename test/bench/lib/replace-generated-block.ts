/**
 * Puts a benchmark's generated text into its `## ` section of docs/BENCHMARKS.md without touching
 * the rest of the section: hand-written subsections and notes live beside the generated block.
 * The block sits between two HTML comments, `<!-- bench:NAME:begin -->` and
 * `<!-- bench:NAME:end -->` (GitHub renders neither); only what lies between them is replaced.
 * Without the markers the block is added, marked, at the end of the section (before the next
 * `## ` heading), or a new section is appended at the end of the document: nothing is deleted.
 */

export interface GeneratedBlock {
  /** The section's heading line, e.g. `## Scaling`. */
  readonly heading: string;
  /** The markers' name, e.g. `scaling` for `<!-- bench:scaling:begin -->`. */
  readonly name: string;
  /** The generated Markdown, without the heading or the markers. */
  readonly text: string;
}

export const blockMarkers = (name: string) => ({
  begin: `<!-- bench:${name}:begin -->`,
  end: `<!-- bench:${name}:end -->`,
});

/** Offsets of every line of `doc` that is exactly `line` (surrounding spaces ignored). */
function linesEqualTo(doc: string, line: string): number[] {
  const found: number[] = [];
  let at = 0;
  for (const text of doc.split('\n')) {
    if (text.trim() === line) found.push(at);
    at += text.length + 1;
  }
  return found;
}

/** Where the section under `heading` starts (its heading line) and ends (the next `## ` or the end). */
function sectionOf(doc: string, heading: string): { start: number; end: number } | undefined {
  const [start, ...more] = linesEqualTo(doc, heading);
  if (start === undefined) return undefined;
  if (more.length > 0)
    throw new Error(`docs: expected one "${heading}" heading line, found ${more.length + 1}`);
  const afterHeading = doc.indexOf('\n', start);
  if (afterHeading < 0) return { start, end: doc.length };
  const next = doc.slice(afterHeading + 1).search(/^## /m);
  return { start, end: next < 0 ? doc.length : afterHeading + 1 + next };
}

/** `doc` with the block's text in place; the result ends with one newline. */
export function replaceGeneratedBlock(doc: string, block: GeneratedBlock): string {
  const { begin, end } = blockMarkers(block.name);
  const marked = `${begin}\n\n${block.text.trim()}\n\n${end}`;
  const begins = linesEqualTo(doc, begin);
  const ends = linesEqualTo(doc, end);
  const section = sectionOf(doc, block.heading);
  let next: string;
  if (begins.length === 0 && ends.length === 0) {
    if (section === undefined) next = `${doc.trimEnd()}\n\n${block.heading}\n\n${marked}\n`;
    else {
      const before = doc.slice(0, section.end).trimEnd();
      const after = doc.slice(section.end);
      next = `${before}\n\n${marked}\n${after === '' ? '' : `\n${after}`}`;
    }
  } else {
    const [from] = begins;
    const [to] = ends;
    if (begins.length !== 1 || ends.length !== 1 || from === undefined || to === undefined || to < from)
      throw new Error(
        `docs: expected one "${begin}" line followed by one "${end}" line, found ${begins.length} begin and ${ends.length} end line(s)${begins.length === 1 && ends.length === 1 ? ', the end first' : ''}`,
      );
    if (section === undefined || from < section.start || to >= section.end)
      throw new Error(`docs: expected the "${begin}" … "${end}" block inside the "${block.heading}" section`);
    const toLineEnd = doc.indexOf('\n', to);
    next = `${doc.slice(0, from)}${marked}${toLineEnd < 0 ? '\n' : doc.slice(toLineEnd)}`;
  }
  return `${next.trimEnd()}\n`;
}
