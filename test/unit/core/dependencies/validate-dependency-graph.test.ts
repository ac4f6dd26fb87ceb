import fc from 'fast-check';
import { validateDependencyGraph } from '../../../../shared/core/dependencies/validate-dependency-graph';

describe('validateDependencyGraph', () => {
  it('orders groups upstream first, ties in the order given', () => {
    const result = validateDependencyGraph(
      ['db', 'api', 'web', 'batch'],
      [
        { from: 'web', to: 'api' },
        { from: 'api', to: 'db' },
        { from: 'batch', to: 'db' },
      ],
    );
    expect(result).toEqual({ kind: 'valid', order: ['web', 'api', 'batch', 'db'] });
  });

  it('accepts a graph without edges', () => {
    expect(validateDependencyGraph(['a', 'b'], [])).toEqual({ kind: 'valid', order: ['a', 'b'] });
  });

  it('reports an unknown group with the edge and the enrolled groups', () => {
    const result = validateDependencyGraph(['web', 'api'], [{ from: 'web', to: 'cache' }]);
    expect(result).toEqual({
      kind: 'invalid',
      problems: [
        {
          kind: 'unknown-group',
          edgeIndex: 0,
          groupName: 'cache',
          message:
            'edge 0 (web → cache): unknown group "cache"; expected one of the enrolled groups (web, api)',
        },
      ],
    });
  });

  it('reports a self-edge', () => {
    const result = validateDependencyGraph(['web'], [{ from: 'web', to: 'web' }]);
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.problems).toEqual([
      {
        kind: 'self-edge',
        edgeIndex: 0,
        groupName: 'web',
        message: 'edge 0 (web → web): a group cannot depend on itself; expected two different groups',
      },
    ]);
  });

  it('reports a duplicate edge', () => {
    const result = validateDependencyGraph(
      ['web', 'api'],
      [
        { from: 'web', to: 'api' },
        { from: 'web', to: 'api', loadRatio: 2 },
      ],
    );
    expect(result.kind === 'invalid' && result.problems.map((p) => p.message)).toEqual([
      'edge 1 (web → api): duplicates edge 0; expected each dependency once',
    ]);
  });

  it('names a cycle from its first group back to it', () => {
    const result = validateDependencyGraph(
      ['a', 'b', 'c', 'd'],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'c', to: 'd' },
      ],
    );
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'cycle', cycle: ['a', 'b', 'c', 'a'] });
    expect(result.problems[0]?.message).toContain('cycle a → b → c → a');
  });

  it('reports each separate cycle once and the shortest loop through its first group', () => {
    const result = validateDependencyGraph(
      ['a', 'b', 'c', 'x', 'y'],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'a' },
        { from: 'b', to: 'a' },
        { from: 'x', to: 'y' },
        { from: 'y', to: 'x' },
      ],
    );
    const cycles =
      result.kind === 'invalid' ? result.problems.map((p) => (p.kind === 'cycle' ? p.cycle : [])) : [];
    expect(cycles).toEqual([
      ['a', 'b', 'a'],
      ['x', 'y', 'x'],
    ]);
  });

  it('reports every problem at once', () => {
    const result = validateDependencyGraph(
      ['a', 'b'],
      [
        { from: 'a', to: 'a' },
        { from: 'a', to: 'zz' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ],
    );
    expect(result.kind === 'invalid' && result.problems.map((p) => p.kind)).toEqual([
      'self-edge',
      'unknown-group',
      'cycle',
    ]);
  });

  it('gives an order in which every edge points forward whenever the graph is acyclic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 20 }),
        (n, pairs) => {
          const groups = Array.from({ length: n }, (_, i) => `g${i}`);
          // Only i < j edges: acyclic by construction; shuffle the group list to test the sort.
          const edges = [
            ...new Set(pairs.filter(([i, j]) => i < j && j < n).map(([i, j]) => `${i}/${j}`)),
          ].map((k) => {
            const [i, j] = k.split('/');
            return { from: `g${i}`, to: `g${j}` };
          });
          const result = validateDependencyGraph([...groups].reverse(), edges);
          expect(result.kind).toBe('valid');
          if (result.kind !== 'valid') return;
          expect([...result.order].sort()).toEqual([...groups].sort());
          for (const e of edges)
            expect(result.order.indexOf(e.from)).toBeLessThan(result.order.indexOf(e.to));
        },
      ),
      { numRuns: 50 },
    );
  });
});
