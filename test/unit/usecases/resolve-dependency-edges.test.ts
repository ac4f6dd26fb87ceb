import { dependencyConfigSchema } from '../../../shared/contracts/dependency-config';
import type { DependencyDiscovery } from '../../../shared/ports/dependency-discovery';
import { resolveDependencyEdges } from '../../../shared/usecases/resolve-dependency-edges';

const clock = { nowMs: () => Date.UTC(2026, 0, 1) };
const config = (xray: boolean) =>
  dependencyConfigSchema.parse({
    edges: [{ from: 'web', to: 'api', loadRatio: 0.5 }],
    ...(xray ? { xray: { enabled: true, serviceToGroup: { web: 'web', api: 'api', db: 'db' } } } : {}),
  });
const discovering = (edges: { from: string; to: string; requestCount: number }[]): DependencyDiscovery => ({
  discoverDependencies: async () => ({ edges, unmappedServices: ['client'] }),
});

describe('resolveDependencyEdges', () => {
  it('uses the declared edges when discovery is off', async () => {
    const resolved = await resolveDependencyEdges({ clock, discovery: discovering([]) }, config(false));
    expect(resolved).toEqual({
      edges: [{ from: 'web', to: 'api', loadRatio: 0.5 }],
      source: 'declared',
      notes: [],
    });
  });

  it('adds discovered edges, declared ones winning', async () => {
    const resolved = await resolveDependencyEdges(
      {
        clock,
        discovery: discovering([
          { from: 'web', to: 'api', requestCount: 9 },
          { from: 'api', to: 'db', requestCount: 5 },
        ]),
      },
      config(true),
    );
    expect(resolved.source).toBe('declared+discovered');
    expect(resolved.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'web', to: 'api', loadRatio: 0.5 }),
        expect.objectContaining({ from: 'api', to: 'db' }),
      ]),
    );
  });

  it('never lets discovery close a cycle, and falls back to the declared graph when it fails', async () => {
    const cyclic = await resolveDependencyEdges(
      { clock, discovery: discovering([{ from: 'api', to: 'web', requestCount: 3 }]) },
      config(true),
    );
    expect(cyclic.edges).toEqual([{ from: 'web', to: 'api', loadRatio: 0.5 }]);
    expect(cyclic.notes.join('\n')).toMatch(/api → web/);
    const failing = await resolveDependencyEdges(
      { clock, discovery: { discoverDependencies: async () => Promise.reject(new Error('throttled')) } },
      config(true),
    );
    expect(failing).toMatchObject({ source: 'declared', notes: ['X-Ray discovery failed: throttled'] });
  });

  it('leaves out only the discovered edge that closes a cycle, keeping the rest, as the update paths do', async () => {
    const resolved = await resolveDependencyEdges(
      {
        clock,
        discovery: discovering([
          { from: 'api', to: 'db', requestCount: 5 },
          { from: 'db', to: 'web', requestCount: 4 },
        ]),
      },
      config(true),
    );
    expect(resolved.source).toBe('declared+discovered');
    expect(resolved.edges).toEqual([
      { from: 'web', to: 'api', loadRatio: 0.5 },
      expect.objectContaining({ from: 'api', to: 'db' }),
    ]);
    expect(resolved.notes).toContain('ignored discovered db → web: closes the cycle db → web → api → db');
  });

  it('says when a service graph may show traces from an older filter of the X-Ray group', async () => {
    const discovery: DependencyDiscovery = {
      discoverDependencies: async () => ({ edges: [], unmappedServices: [], windowsWithOldGroupVersions: 2 }),
    };
    const grouped = dependencyConfigSchema.parse({
      xray: { enabled: true, serviceToGroup: { web: 'web' }, xrayGroupName: 'prod' },
    });
    const resolved = await resolveDependencyEdges({ clock, discovery }, grouped);
    expect(resolved.notes).toEqual([
      '2 service graph window(s) may show traces from an older filter of X-Ray group prod: discovered edges may include calls its current filter leaves out',
    ]);
  });

  it('reads xray.lookbackHours of the service graph and keeps only edges with xray.minRequestCount requests', async () => {
    const windows: { startMs: number; endMs: number }[] = [];
    const discovery: DependencyDiscovery = {
      discoverDependencies: async (window) => {
        windows.push(window);
        return {
          edges: [
            { from: 'api', to: 'db', requestCount: 25 },
            { from: 'web', to: 'db', requestCount: 24 },
          ],
          unmappedServices: [],
        };
      },
    };
    const chosen = dependencyConfigSchema.parse({
      edges: [],
      xray: {
        enabled: true,
        serviceToGroup: { web: 'web', api: 'api', db: 'db' },
        lookbackHours: 6,
        minRequestCount: 25,
      },
    });
    const resolved = await resolveDependencyEdges({ clock, discovery }, chosen);
    const nowMs = clock.nowMs();
    expect(windows).toEqual([{ startMs: nowMs - 6 * 3600_000, endMs: nowMs }]);
    expect(resolved.edges).toEqual([expect.objectContaining({ from: 'api', to: 'db' })]);
    expect(resolved.notes.join('\n')).toMatch(/web → db/);
  });
});
