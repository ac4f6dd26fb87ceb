import fc from 'fast-check';
import { addAcyclicEdges } from '../../../../shared/core/dependencies/add-acyclic-edges';
import type { DependencyEdge } from '../../../../shared/core/dependencies/types';
import { validateDependencyGraph } from '../../../../shared/core/dependencies/validate-dependency-graph';

const edge = (from: string, to: string): DependencyEdge => ({ from, to });

describe('addAcyclicEdges', () => {
  it.each([
    {
      name: 'adds candidates that close no cycle',
      base: [edge('web', 'api')],
      candidates: [edge('api', 'db'), edge('web', 'db')],
      kept: [edge('web', 'api'), edge('api', 'db'), edge('web', 'db')],
      reasons: [],
    },
    {
      name: 'leaves out a candidate that closes a cycle through the base, naming the cycle',
      base: [edge('web', 'api'), edge('api', 'db')],
      candidates: [edge('db', 'web')],
      kept: [edge('web', 'api'), edge('api', 'db')],
      reasons: ['closes the cycle db → web → api → db'],
    },
    {
      name: 'keeps the first candidate of a loop among candidates and leaves out the one that closes it',
      base: [],
      candidates: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')],
      kept: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd')],
      reasons: ['closes the cycle c → a → b → c'],
    },
  ])('$name', ({ base, candidates, kept, reasons }) => {
    const result = addAcyclicEdges(base, candidates);
    expect(result.edges).toEqual(kept);
    expect(result.ignored.map((i) => i.reason)).toEqual(reasons);
  });

  it('always returns an acyclic graph holding the whole base, and leaves out only cycle-closing candidates', () => {
    const groups = ['a', 'b', 'c', 'd', 'e'];
    const pair = fc
      .tuple(fc.constantFrom(...groups), fc.constantFrom(...groups))
      .filter(([from, to]) => from !== to)
      .map(([from, to]) => edge(from, to));
    // A base that is acyclic by construction: edges only from an earlier group to a later one.
    const forward = pair.map((e) => (e.from < e.to ? e : edge(e.to, e.from)));
    fc.assert(
      fc.property(
        fc.uniqueArray(forward, { selector: (e) => `${e.from}${e.to}` }),
        fc.array(pair),
        (base, candidates) => {
          const result = addAcyclicEdges(base, candidates);
          expect(result.edges.slice(0, base.length)).toEqual(base);
          const unique = [...new Map(result.edges.map((e) => [`${e.from}${e.to}`, e])).values()];
          expect(validateDependencyGraph(groups, unique).kind).toBe('valid');
          for (const { edge: left } of result.ignored) {
            const closing = validateDependencyGraph(groups, [...unique, left]);
            expect(closing.kind).toBe('invalid');
          }
          expect(result.edges.length + result.ignored.length).toBe(base.length + candidates.length);
        },
      ),
    );
  });
});
