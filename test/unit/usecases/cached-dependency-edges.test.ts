import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { DependencyDiscovery } from '../../../shared/ports/dependency-discovery';
import { cachedDependencyEdges } from '../../../shared/usecases/cached-dependency-edges';

const HOUR_MS = 3_600_000;

describe('cachedDependencyEdges', () => {
  it('discovers again only once the last result is older than the TTL', async () => {
    const config = parseConfig(
      userConfigSchema,
      {
        groups: { names: ['web', 'api'] },
        dependencies: { xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web' } } },
      },
      'test',
    );
    let nowMs = 0;
    let discoveries = 0;
    const discovery: DependencyDiscovery = {
      discoverDependencies: async () => {
        discoveries += 1;
        return { edges: [], unmappedServices: [] };
      },
    };
    const resolved: unknown[] = [];
    const edges = cachedDependencyEdges({ discovery, clock: { nowMs: () => nowMs } }, config.dependencies, {
      onResolved: (r) => resolved.push(r),
    });
    await edges();
    nowMs = HOUR_MS;
    await edges();
    expect(discoveries).toBe(1);
    nowMs = HOUR_MS + 1;
    expect(await edges()).toEqual([]);
    expect(discoveries).toBe(2);
    expect(resolved).toHaveLength(2);
  });
});
