import { parseConfig } from '../../../shared/contracts/parse-config';
import { planDiscoverySchema } from '../../../shared/contracts/plan-discovery';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { updateConflicts } from '../../../shared/core/dependencies/update-conflicts';
import type { DiscoveredDependency } from '../../../shared/ports/dependency-discovery';
import { dependencyEdgesForUpdates } from '../../../shared/usecases/dependency-edges-for-updates';
import {
  discoveryReadForPlan,
  PLAN_DISCOVERY_MAX_BYTES,
  PlanDiscoveryTooLargeError,
  readPlanDiscovery,
} from '../../../shared/usecases/read-plan-discovery';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const config = parseConfig(
  userConfigSchema,
  {
    groups: { names: ['web', 'api', 'db', 'cache', 'queue'] },
    dependencies: { edges: [], xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web' } } },
  },
  'test config',
);
const requestFor = (...names: string[]) => ({
  groups: names.map((groupName) => ({ groupName, launchTemplateVersion: '7' })),
});
const edge = (from: string, to: string, requestCount = 100): DiscoveredDependency => ({
  from,
  to,
  requestCount,
});
const stored = (edges: DiscoveredDependency[]) =>
  new MemoryDiscoveredDependencyStore({ discoveredAtMs: NOW - 3_600_000, edges });

describe('readPlanDiscovery', () => {
  it("keeps only the edges between two of the plan's groups, as stored", async () => {
    const store = stored([
      edge('web', 'api', 1200),
      edge('web', 'cache'),
      edge('queue', 'api'),
      edge('api', 'web', 0),
      { ...edge('api', 'db'), extra: 'x' } as DiscoveredDependency,
    ]);
    const read = await readPlanDiscovery({ discoveredDependencies: store }, config, {
      request: requestFor('web', 'api', 'db'),
    });
    expect(read).toEqual({
      discoveredAtMs: NOW - 3_600_000,
      edges: [edge('web', 'api', 1200), edge('api', 'web', 0), edge('api', 'db')],
    });
    expect(planDiscoverySchema.parse(JSON.parse(JSON.stringify(read)))).toEqual(read);
  });

  it('reads nothing stored, or a request without valid groups, as no edges', async () => {
    const none = await readPlanDiscovery(
      { discoveredDependencies: new MemoryDiscoveredDependencyStore() },
      config,
      {
        request: requestFor('web'),
      },
    );
    expect(none).toEqual({});
    expect(await discoveryReadForPlan(none).getDiscovery()).toBeUndefined();
    expect(await discoveryReadForPlan(undefined).getDiscovery()).toBeUndefined();
    const invalid = await readPlanDiscovery(
      { discoveredDependencies: stored([edge('web', 'api')]) },
      config,
      {
        request: { groups: 'web' },
      },
    );
    expect(invalid).toEqual({ discoveredAtMs: NOW - 3_600_000, edges: [] });
  });

  it('leaves the planner the same edges between its groups as the whole graph, a cycle through groups outside the plan included', async () => {
    // On the whole graph cache → web closes web → queue → cache → web and is left out, so
    // web → api stays (no path api ⇝ web): web and api are kept apart. Among the plan's groups
    // alone cache → web would stay and leave out web → api instead (it would close api → cache →
    // web → api): web and api could update together.
    const edges = [
      edge('web', 'queue'),
      edge('queue', 'cache'),
      edge('cache', 'web'),
      edge('api', 'cache'),
      edge('web', 'api'),
    ];
    const plan = ['web', 'api', 'cache'];
    const read = await readPlanDiscovery({ discoveredDependencies: stored(edges) }, config, {
      request: requestFor(...plan),
    });
    expect(read).toMatchObject({ edges: [edge('api', 'cache'), edge('web', 'api')] });
    const conflictsOf = async (discoveredDependencies: ReturnType<typeof discoveryReadForPlan>) => {
      const graph = await dependencyEdgesForUpdates({ discoveredDependencies }, config.dependencies, NOW);
      return updateConflicts(plan, graph.edges, 'direct').map((c) => [c.upstream, c.downstream]);
    };
    const whole = await conflictsOf(stored(edges));
    expect(await conflictsOf(discoveryReadForPlan(read))).toEqual(whole);
    expect(whole).toEqual([
      ['web', 'api'],
      ['api', 'cache'],
    ]);
  });

  it('refuses a stored item past its share of the state, with the sizes', async () => {
    // Not what the loop writes (one edge per pair): the same pair over and over, with long names.
    const long = (c: string) => c.repeat(255);
    const big = parseConfig(userConfigSchema, { groups: { names: [long('a'), long('b')] } }, 'test config');
    const edges = Array.from({ length: 200 }, () => edge(long('a'), long('b')));
    const reading = readPlanDiscovery({ discoveredDependencies: stored(edges) }, big, {
      request: requestFor(long('a'), long('b')),
    });
    await expect(reading).rejects.toThrow(PlanDiscoveryTooLargeError);
    await expect(reading).rejects.toMatchObject({ edgeCount: 200, bytes: expect.any(Number) });
    expect(PLAN_DISCOVERY_MAX_BYTES).toBe(64 * 1024);
  });
});
