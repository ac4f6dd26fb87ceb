import {
  DEFAULT_DEPENDENCY_CONFIG,
  dependencyConfigSchema,
} from '../../../shared/contracts/dependency-config';
import { InvalidConfigError, parseConfig } from '../../../shared/contracts/parse-config';

const parse = (input: unknown) => parseConfig(dependencyConfigSchema, input, 'dependencies');

function problemsOf(input: unknown) {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidConfigError)
      return error.problems.map((p) => ({ path: p.path, message: p.expected }));
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('dependencyConfigSchema', () => {
  it('defaults to no edges and no discovery', () => {
    expect(DEFAULT_DEPENDENCY_CONFIG).toEqual({ edges: [], minLearnedRatioRSquared: 0.25 });
  });

  it('accepts edges with and without a load ratio, and fills X-Ray defaults', () => {
    const config = parse({
      edges: [
        { from: 'web-asg', to: 'api-asg', loadRatio: 0.4 },
        { from: 'api-asg', to: 'db-asg' },
      ],
      xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web-asg' } },
    });
    expect(config).toEqual({
      edges: [
        { from: 'web-asg', to: 'api-asg', loadRatio: 0.4 },
        { from: 'api-asg', to: 'db-asg' },
      ],
      xray: {
        enabled: true,
        serviceToGroup: { 'web-frontend': 'web-asg' },
        lookbackHours: 24,
        minRequestCount: 1,
      },
      minLearnedRatioRSquared: 0.25,
    });
  });

  it.each([
    [{ edges: [{ from: 'a', to: 'b', loadRatio: -1 }] }, 'edges.0.loadRatio', 'Too small'],
    [{ minLearnedRatioRSquared: -0.1 }, 'minLearnedRatioRSquared', 'Too small'],
    [{ minLearnedRatioRSquared: 1.5 }, 'minLearnedRatioRSquared', 'Too big'],
    [{ edges: [{ from: 'bad name', to: 'b' }] }, 'edges.0.from', 'expected an Auto Scaling group name'],
    [{ edges: [{ from: 'a', to: 'web:blue' }] }, 'edges.0.to', 'no colon'],
    [{ xray: { enabled: true, serviceToGroup: { web: 'web blue' } } }, 'xray.serviceToGroup.web', 'no space'],
    [{ edges: [{ from: 'a', to: 'a' }] }, 'edges.0', 'edge 0 (a → a): a group cannot depend on itself'],
    [
      {
        edges: [
          { from: 'a', to: 'b' },
          { from: 'a', to: 'b' },
        ],
      },
      'edges.1',
      'edge 1 (a → b): duplicates edge 0',
    ],
    [{ xray: { enabled: true } }, 'xray.serviceToGroup', 'expected at least one X-Ray service name'],
    [{ xray: { enabled: false, lookbackHours: 0 } }, 'xray.lookbackHours', 'Too small'],
  ])('rejects %j at %s', (input, path, message) => {
    const problems = problemsOf(input);
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(problems.find((p) => p.path === path)?.message).toContain(message);
  });

  it('takes any name Auto Scaling takes as an edge’s end and an X-Ray service’s group', () => {
    const config = parse({
      edges: [{ from: 'web#1', to: 'checkout(blue)' }],
      xray: { enabled: true, serviceToGroup: { checkout: 'checkout(blue)' } },
    });
    expect(config.edges).toEqual([{ from: 'web#1', to: 'checkout(blue)' }]);
    expect(config.xray?.serviceToGroup).toEqual({ checkout: 'checkout(blue)' });
  });

  it('names a cycle among declared edges', () => {
    expect(
      problemsOf({
        edges: [
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
          { from: 'db', to: 'web' },
        ],
      }),
    ).toEqual([
      {
        path: 'edges',
        message:
          'cycle web → api → db → web: dependencies must not loop back; expected an upstream group never to depend on its own downstream groups',
      },
    ]);
  });
});
