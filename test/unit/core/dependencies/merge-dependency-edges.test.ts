import { mergeDependencyEdges } from '../../../../shared/core/dependencies/merge-dependency-edges';

describe('mergeDependencyEdges', () => {
  it('keeps declared edges, adds discovered ones, and explains what it leaves out', () => {
    const result = mergeDependencyEdges(
      [
        { from: 'web', to: 'api', loadRatio: 0.5 },
        { from: 'api', to: 'db' },
      ],
      [
        { from: 'web', to: 'api', requestCount: 900 },
        { from: 'db', to: 'api', requestCount: 5 },
        { from: 'web', to: 'auth', requestCount: 40 },
        { from: 'web', to: 'auth', requestCount: 2 },
        { from: 'auth', to: 'audit', requestCount: 0 },
        { from: 'api', to: 'api', requestCount: 7 },
      ],
    );
    expect(result.edges).toEqual([
      { from: 'web', to: 'api', loadRatio: 0.5, requestCount: 900 },
      { from: 'api', to: 'db' },
      { from: 'web', to: 'auth', requestCount: 42 },
    ]);
    expect(result.ignored.map((i) => i.reason)).toEqual([
      'reverses the declared dependency api → db',
      '0 request(s), fewer than 1',
      'both ends map to group api',
    ]);
  });
});
