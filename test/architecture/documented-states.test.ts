import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTestApp, TEST_CONFIG } from '../helpers/build-test-app';
import { REPO_ROOT } from '../helpers/source-imports';
import { extractDefinition } from '../infra/rolling-update-harness';

type Machine = {
  States?: Record<
    string,
    Machine & { Type?: string; Branches?: Machine[]; Iterator?: Machine; ItemProcessor?: Machine }
  >;
};

/** Every state of a definition by name, with its type, through Parallel branches and Map processors. */
function stateTypes(machine: Machine): [string, string][] {
  return Object.entries(machine.States ?? {}).flatMap(([name, state]) => [
    [name, state.Type ?? ''] as [string, string],
    ...(state.Branches ?? []).flatMap(stateTypes),
    ...[state.Iterator, state.ItemProcessor].flatMap((inner) => (inner ? stateTypes(inner) : [])),
  ]);
}

const stateNames = (machine: Machine): string[] => stateTypes(machine).map(([name]) => name);

/** The text under each heading whose title is listed, up to the next heading of that level or above. */
function sections(text: string, titles: string[]): string {
  return titles
    .map((title) => {
      const [, level = '', rest = ''] = text.match(new RegExp(`^(#+) ${title}$([\\s\\S]*)`, 'm')) ?? [];
      expect(rest).not.toBe('');
      return rest.split(new RegExp(`^#{1,${level.length}} `, 'm'))[0] as string;
    })
    .join('\n');
}

/** The bold spans of a text (a span may wrap a line), with runs of whitespace made one space. */
const boldSpans = (text: string): string[] => [
  ...new Set([...text.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => (m[1] as string).replace(/\s+/g, ' ').trim())),
];

// Bold words in these sections that stress a point rather than name a state.
const EMPHASIS = new Set([
  'DesiredConfiguration',
  'not',
  'fallback',
  'explicit',
  'every slot a group did not take, with why',
]);

const doc = readFileSync(path.join(REPO_ROOT, 'docs/rolling-updates.md'), 'utf8');
const { template } = buildTestApp({ ...TEST_CONFIG, rollingUpdate: { alarmNames: ['web-5xx'] } });
const synthesized = template();
const rollingUpdateDefinition = extractDefinition(synthesized) as Machine;
const rollingUpdateStates = new Set(stateNames(rollingUpdateDefinition));
const updatePlanStates = new Set(
  stateNames(extractDefinition(synthesized, 'PrescaleUpdatePlans') as Machine),
);

describe('the state names docs/rolling-updates.md puts in bold', () => {
  it('are states of the synthesized rolling-update workflow', () => {
    const text = sections(doc, [
      'The states',
      'Groups with attribute-based instance type selection',
      'How it ends',
    ]);
    const named = boldSpans(text).filter((span) => !EMPHASIS.has(span));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((name) => !rollingUpdateStates.has(name))).toEqual([]);
  });

  it('are states of the update-plan workflow, or of the rolling update it runs per group', () => {
    const named = boldSpans(sections(doc, ['What it does'])).filter((span) => !EMPHASIS.has(span));
    expect(named.length).toBeGreaterThan(10);
    const unknown = named.filter((name) => !updatePlanStates.has(name) && !rollingUpdateStates.has(name));
    expect(unknown).toEqual([]);
  });

  it("'How it ends' gives each end state the type it has in the definition", () => {
    const table = sections(doc, ['How it ends']);
    const rows = [...table.matchAll(/^\| ((?:\*\*[^*]+\*\*(?: \/ )?)+)\s*\| (\w+)\s*\|/gm)].flatMap((row) =>
      [...(row[1] as string).matchAll(/\*\*([^*]+)\*\*/g)].map((m) => [m[1] as string, row[2] as string]),
    );
    expect(rows.length).toBeGreaterThan(8);
    const types = new Map(stateTypes(rollingUpdateDefinition));
    expect(rows.filter(([name, type]) => types.get(name as string) !== type)).toEqual([]);
  });
});
