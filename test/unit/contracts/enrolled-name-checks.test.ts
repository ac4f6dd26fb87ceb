import { InvalidConfigError, parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const parse = (input: unknown) => parseConfig(userConfigSchema, input, 'config');

function problemsOf(input: unknown) {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const NOT_ENROLLED =
  'expected one of the enrolled groups (web, api): without groups.tag no other group is enrolled';

describe('checkEnrolledNames', () => {
  it('refuses a dependency edge naming a group not in groups.names, at the end that does', () => {
    const problems = problemsOf({
      groups: { names: ['web', 'api'] },
      dependencies: { edges: [{ from: 'web', to: 'apii', loadRatio: 0.5 }] },
    });
    expect(problems).toEqual([
      {
        path: 'dependencies.edges.0.to',
        received: '"apii"',
        expected: `${NOT_ENROLLED}, so this edge (web → apii) would be left out of every run`,
      },
    ]);
  });

  it('refuses both ends of an edge and a service mapped to a group not in groups.names', () => {
    const problems = problemsOf({
      groups: { names: ['web', 'api'] },
      dependencies: {
        edges: [
          { from: 'web', to: 'api' },
          { from: 'cdn', to: 'db' },
        ],
        xray: { enabled: true, serviceToGroup: { 'orders-api': 'api', 'web-frontend': 'webb' } },
      },
    });
    expect(problems.map((p) => [p.path, p.received])).toEqual([
      ['dependencies.edges.1.from', '"cdn"'],
      ['dependencies.edges.1.to', '"db"'],
      ['dependencies.xray.serviceToGroup.web-frontend', '"webb"'],
    ]);
    expect(problems[2]?.expected).toBe(
      `${NOT_ENROLLED}, so the edges X-Ray shows for web-frontend would be left out of every run`,
    );
  });

  it('leaves the X-Ray service map alone while discovery is off: no run reads it then', () => {
    const kept = {
      groups: { names: ['web', 'api'] },
      dependencies: { xray: { enabled: false, serviceToGroup: { 'old-svc': 'retired-asg' } } },
    };
    expect(parse(kept).dependencies.xray?.serviceToGroup).toEqual({ 'old-svc': 'retired-asg' });
    // On, the same map is refused: its group is not enrolled.
    const on = {
      ...kept,
      dependencies: { xray: { enabled: true, serviceToGroup: { 'old-svc': 'retired-asg' } } },
    };
    expect(problemsOf(on).map((p) => p.path)).toEqual(['dependencies.xray.serviceToGroup.old-svc']);
  });

  it('still refuses an override for a group not in groups.names, as before', () => {
    expect(problemsOf({ groups: { names: ['web', 'api'] }, groupOverrides: { wbe: {} } })).toEqual([
      expect.objectContaining({
        path: 'groupOverrides.wbe',
        expected: `${NOT_ENROLLED}, so this override would never apply`,
      }),
    ]);
  });

  it('leaves the names to the dispatch when a tag enrols groups too (names known only at run time)', () => {
    const config = parse({
      groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
      groupOverrides: { api: {} },
      dependencies: {
        edges: [{ from: 'web', to: 'api' }],
        xray: { enabled: true, serviceToGroup: { 'orders-api': 'api' } },
      },
    });
    expect(config.dependencies.edges).toEqual([{ from: 'web', to: 'api' }]);
  });
});
