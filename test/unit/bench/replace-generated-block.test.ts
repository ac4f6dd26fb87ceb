import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blockMarkers, replaceGeneratedBlock } from '../../bench/lib/replace-generated-block';

const { begin, end } = blockMarkers('scaling');
const scaling = (text: string) => ({ heading: '## Scaling', name: 'scaling', text });

const GENERATED_OLD =
  'Machine: old. Command: `npx tsx test/bench/scaling.ts`.\n\n| a |\n| --- |\n| 1 |\n\nAll three targets met on 1 of 1 traces.';
const GENERATED_NEW =
  'Machine: new. Command: `npx tsx test/bench/scaling.ts`.\n\n| a |\n| --- |\n| 2 |\n\nAll three targets met on 0 of 1 traces.';

const NOTES_BEFORE =
  '### Group shapes through the real handlers (lead)\n\nMeasured by hand: 130 lines of it.';
const NOTES_AFTER = 'Rows re-run 2026-12-06 (`--no-write`, pasted in): six rows moved.';

const doc = (generated: string) =>
  [
    '# Benchmarks',
    '',
    '## Pricing',
    '',
    'Pricing text.',
    '',
    '## Scaling',
    '',
    NOTES_BEFORE,
    '',
    begin,
    '',
    generated,
    '',
    end,
    '',
    NOTES_AFTER,
    '',
    '## Cost/SLO frontier',
    '',
    'Frontier text.',
    '',
  ].join('\n');

describe('replaceGeneratedBlock', () => {
  it('replaces only the text between the markers; the notes before and after and the other sections stay', () => {
    expect(replaceGeneratedBlock(doc(GENERATED_OLD), scaling(GENERATED_NEW))).toBe(doc(GENERATED_NEW));
  });

  it('gives the same document when run again with the same text', () => {
    const once = replaceGeneratedBlock(doc(GENERATED_OLD), scaling(GENERATED_NEW));
    expect(replaceGeneratedBlock(once, scaling(GENERATED_NEW))).toBe(once);
  });

  it('without markers, appends the marked block at the end of the section, before the next `## `, deleting nothing', () => {
    const unmarked = `# Benchmarks\n\n## Scaling\n\n${NOTES_BEFORE}\n\n${GENERATED_OLD}\n\n${NOTES_AFTER}\n\n## Cost/SLO frontier\n\nFrontier text.\n`;
    const next = replaceGeneratedBlock(unmarked, scaling(GENERATED_NEW));
    expect(next).toBe(
      `# Benchmarks\n\n## Scaling\n\n${NOTES_BEFORE}\n\n${GENERATED_OLD}\n\n${NOTES_AFTER}\n\n${begin}\n\n${GENERATED_NEW}\n\n${end}\n\n## Cost/SLO frontier\n\nFrontier text.\n`,
    );
    expect(replaceGeneratedBlock(next, scaling(GENERATED_NEW))).toBe(next);
  });

  it('without markers, appends within the section when it is the last one', () => {
    const next = replaceGeneratedBlock(
      `# Benchmarks\n\n## Scaling\n\n${NOTES_BEFORE}\n`,
      scaling(GENERATED_NEW),
    );
    expect(next).toBe(
      `# Benchmarks\n\n## Scaling\n\n${NOTES_BEFORE}\n\n${begin}\n\n${GENERATED_NEW}\n\n${end}\n`,
    );
  });

  it('without the section, appends the heading and the marked block at the end of the document', () => {
    const next = replaceGeneratedBlock(
      '# Benchmarks\n\n## Pricing\n\nPricing text.\n',
      scaling(GENERATED_NEW),
    );
    expect(next).toBe(
      `# Benchmarks\n\n## Pricing\n\nPricing text.\n\n## Scaling\n\n${begin}\n\n${GENERATED_NEW}\n\n${end}\n`,
    );
  });

  it('refuses markers it cannot pair or that lie outside the section, instead of guessing what to delete', () => {
    const marked = doc(GENERATED_OLD);
    expect(() => replaceGeneratedBlock(marked.replace(end, ''), scaling(GENERATED_NEW))).toThrow(
      `docs: expected one "${begin}" line followed by one "${end}" line, found 1 begin and 0 end line(s)`,
    );
    const swapped = marked.replace(begin, 'BEGIN').replace(end, begin).replace('BEGIN', end);
    expect(() => replaceGeneratedBlock(swapped, scaling(GENERATED_NEW))).toThrow(
      'found 1 begin and 1 end line(s), the end first',
    );
    const elsewhere = marked
      .replace(`\n${begin}\n`, '\n')
      .replace('Pricing text.', `Pricing text.\n\n${begin}`);
    expect(() => replaceGeneratedBlock(elsewhere, scaling(GENERATED_NEW))).toThrow(
      `docs: expected the "${begin}" … "${end}" block inside the "## Scaling" section`,
    );
  });

  it('finds exactly one marked block inside the Scaling section of docs/BENCHMARKS.md, so the benchmark keeps its notes', () => {
    const benchmarks = readFileSync(path.resolve(__dirname, '../../../docs/BENCHMARKS.md'), 'utf8');
    const rewritten = replaceGeneratedBlock(benchmarks, scaling('GENERATED'));
    const [before = '', rest = ''] = benchmarks.split(`${begin}\n`);
    const [generated = '', after = ''] = rest.split(`\n${end}`);
    expect(generated.trim()).toMatch(
      /^Machine: .*Command: `npx tsx test\/bench\/scaling\.ts.*\n[\s\S]*\nAll three targets met on [^\n]*$/,
    );
    expect(rewritten).toBe(`${before}${begin}\n\nGENERATED\n\n${end}${after}`);
    expect(rewritten).toMatch(/^## Scaling$/m);
    expect(rewritten).toMatch(/^### Group shapes through the real handlers/m);
    expect(rewritten).toMatch(/^Rows re-run /m);
  });

  it('finds the Pricing section’s marked block in docs/BENCHMARKS.md, so `bench:pricing --write` keeps its note', () => {
    const benchmarks = readFileSync(path.resolve(__dirname, '../../../docs/BENCHMARKS.md'), 'utf8');
    const rewritten = replaceGeneratedBlock(benchmarks, {
      heading: '## Pricing',
      name: 'pricing',
      text: 'GENERATED',
    });
    const markers = blockMarkers('pricing');
    const [, rest = ''] = benchmarks.split(`${markers.begin}\n`);
    const [generated = ''] = rest.split(`\n${markers.end}`);
    expect(generated.trim()).toMatch(/^Selection: [\s\S]*\(in the table: mean [^\n]*\)\.$/);
    expect(rewritten).toMatch(/^The mixes compared below are the cost of a selection/m);
    expect(rewritten).toMatch(/^## Scaling$/m);
    expect(rewritten.split('\n').length).toBeLessThan(benchmarks.split('\n').length);
  });
});
