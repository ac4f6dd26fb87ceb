import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { REPO_ROOT } from '../helpers/source-imports';

const PAGES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Each stack output a page has the reader look up (`--query "Stacks[0].Outputs[?OutputKey=='NAME']…"`). */
function documentedOutputs(page: string): { page: string; output: string }[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8');
  return [...text.matchAll(/OutputKey=='(\w+)'/g)].map((m) => ({ page, output: m[1] as string }));
}

describe('the stack outputs the docs tell the reader to read', () => {
  const documented = PAGES.flatMap(documentedOutputs);
  const outputs = Object.keys(
    (synthesizedTemplate().toJSON() as { Outputs?: Record<string, unknown> }).Outputs ?? {},
  );

  it('are found (the bus, the state machines, the scaling loop schedule and its group, the kill switch)', () => {
    expect(new Set(documented.map(({ output }) => output))).toEqual(
      new Set([
        'EventBusName',
        'RollingUpdateStateMachineArn',
        'UpdatePlanStateMachineArn',
        'RecurringScheduleGroupName',
        'ScalingLoopScheduleName',
        'KillSwitchParameterName',
      ]),
    );
  });

  it('are each an output of the synthesized stack', () => {
    const missing = documented
      .filter(({ output }) => !outputs.includes(output))
      .map(
        ({ page, output }) => `${page}: OutputKey=='${output}' (the stack's outputs: ${outputs.join(', ')})`,
      );
    expect(missing).toEqual([]);
  });
});
