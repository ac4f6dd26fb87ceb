import { nearestUpstreams } from '../../../../shared/core/dependencies/nearest-upstreams';

describe('nearestUpstreams', () => {
  const edges = [
    { from: 'web', to: 'api' },
    { from: 'mobile', to: 'api', requestCount: 5 },
    { from: 'partner', to: 'api', requestCount: 50 },
    { from: 'api', to: 'db' },
    { from: 'cdn', to: 'web' },
  ];

  it('returns the whole closure under the cap, and nothing left out', () => {
    const result = nearestUpstreams(['db'], edges, 10);
    expect([...result.groupNames].sort()).toEqual(['api', 'cdn', 'db', 'mobile', 'partner', 'web']);
    expect(result.leftOut.size).toBe(0);
  });

  it('keeps the nearest first, then the heaviest edge, edges without a count last, and names the rest', () => {
    const result = nearestUpstreams(['db'], edges, 3);
    expect(result.groupNames).toEqual(['db', 'api', 'partner', 'mobile']);
    expect(result.leftOut).toEqual(new Map([['db', ['web', 'cdn']]]));
  });

  it("does not count the batch's own groups against the cap, even when one calls another", () => {
    const result = nearestUpstreams(['db', 'api'], edges, 0);
    expect(result.groupNames).toEqual(['db', 'api']);
    expect(result.leftOut).toEqual(
      new Map([
        ['db', ['mobile', 'partner', 'web', 'cdn']],
        ['api', ['mobile', 'partner', 'web', 'cdn']],
      ]),
    );
  });
});
