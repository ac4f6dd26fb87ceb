import type { UpdateScenarioRequest } from '../../../../shared/core/dependencies/plan-update-scenarios';

/** Healthy instances during a refresh, written out independently of the code under test. */
export function healthyDuringRefresh(desired: number, minHealthyPct: number): number {
  return Math.floor((desired * minHealthyPct) / 100 + 1e-9);
}

/** Whether `a` reaches `b` along edges (Floyd–Warshall on the edge set). */
function reachability(edges: UpdateScenarioRequest['edges']): (a: string, b: string) => boolean {
  const names = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const idx = new Map(names.map((n, i) => [n, i]));
  const r = names.map(() => names.map(() => false));
  for (const e of edges) (r[idx.get(e.from) as number] as boolean[])[idx.get(e.to) as number] = true;
  for (let k = 0; k < names.length; k++)
    for (let i = 0; i < names.length; i++)
      for (let j = 0; j < names.length; j++) if (r[i]?.[k] && r[k]?.[j]) (r[i] as boolean[])[j] = true;
  return (a, b) => {
    const i = idx.get(a);
    const j = idx.get(b);
    return i !== undefined && j !== undefined && (r[i]?.[j] ?? false);
  };
}

/** Whether two groups must update in different slots under the request's separation rule. */
export function mustBeApart(request: UpdateScenarioRequest): (a: string, b: string) => boolean {
  if ((request.separation ?? 'direct') === 'direct') {
    return (a, b) => request.edges.some((e) => (e.from === a && e.to === b) || (e.from === b && e.to === a));
  }
  const reaches = reachability(request.edges);
  return (a, b) => reaches(a, b) || reaches(b, a);
}

/**
 * The cheapest objective (headroom USD + lateness USD) over every slot assignment, trying every
 * headroom from 0 to MaxSize − desired; Infinity when no assignment is safe.
 */
export function bruteForceUpdateObjective(
  request: UpdateScenarioRequest,
  latenessPenaltyUsdPerSlot: number,
): number {
  const { groups, slotCount, slotSeconds } = request;
  const apart = mustBeApart(request);
  const cellCost = groups.map((g) =>
    Array.from({ length: slotCount }, (_, t) => {
      const load = g.p90LoadBySlot[t] as number;
      const required = load > 0 ? Math.ceil(load / g.targetLoadPerInstance - 1e-9) : 0;
      for (let h = 0; h <= Math.max(0, g.maxSize - g.desiredCapacity); h++) {
        if (healthyDuringRefresh(g.desiredCapacity + h, g.minHealthyPercentage) >= required) {
          return h * g.hourlyPriceUsd * (slotSeconds / 3600) + t * latenessPenaltyUsdPerSlot;
        }
      }
      return Number.POSITIVE_INFINITY;
    }),
  );
  let best = Number.POSITIVE_INFINITY;
  const slots = new Array<number>(groups.length).fill(0);
  const total = slotCount ** groups.length;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let g = 0; g < groups.length; g++) {
      slots[g] = c % slotCount;
      c = Math.floor(c / slotCount);
    }
    let ok = true;
    for (let a = 0; a < groups.length && ok; a++)
      for (let b = a + 1; b < groups.length && ok; b++)
        if (slots[a] === slots[b] && apart(groups[a]?.groupName as string, groups[b]?.groupName as string))
          ok = false;
    const limit = request.maxConcurrentUpdates;
    if (ok && limit !== undefined) {
      for (let t = 0; t < slotCount; t++) if (slots.filter((s) => s === t).length > limit) ok = false;
    }
    if (!ok) continue;
    const cost = slots.reduce((sum, t, g) => sum + (cellCost[g]?.[t] as number), 0);
    if (cost < best) best = cost;
  }
  return best;
}
