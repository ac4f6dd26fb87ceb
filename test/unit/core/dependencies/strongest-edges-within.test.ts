import { strongestEdgesWithin } from '../../../../shared/core/dependencies/strongest-edges-within';
import { jsonBytes } from '../../../../shared/core/update-plan/within-bytes';

const edge = (from: string, to: string, requestCount: number) => ({ from, to, requestCount });

describe('strongestEdgesWithin', () => {
  const edges = [edge('a', 'b', 5), edge('b', 'c', 50), edge('c', 'd', 1), edge('d', 'e', 50)];

  it('keeps every edge when they fit', () => {
    expect(strongestEdgesWithin(edges, jsonBytes(edges))).toEqual({ kept: edges, omitted: 0 });
  });

  it('keeps the most called edges that fit, ties by position, in their given order', () => {
    const one = jsonBytes(edges[1]); // an edge called 50 times; the others are a byte shorter
    // Room for the brackets, two edges and the comma between them.
    const { kept, omitted } = strongestEdgesWithin(edges, 2 + 2 * one + 1);
    expect(kept).toEqual([edge('b', 'c', 50), edge('d', 'e', 50)]);
    expect(omitted).toBe(2);
    expect(strongestEdgesWithin(edges, 2 + 3 * one + 2).kept).toEqual([
      edge('a', 'b', 5),
      edge('b', 'c', 50),
      edge('d', 'e', 50),
    ]);
  });

  it('passes over an edge that does not fit to keep less called ones that do', () => {
    const long = edge('x'.repeat(1_000), 'y', 1_000);
    expect(strongestEdgesWithin([long, ...edges], jsonBytes(edges)).kept).toEqual(edges);
  });

  it('refuses a bound that is not positive', () => {
    expect(() => strongestEdgesWithin(edges, 0)).toThrow(RangeError);
  });
});
