import { parseConfig } from '../../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupWorkItem } from '../../../shared/ports/group-work-queue';
import { dispatchScalingRun } from '../../../shared/usecases/dispatch-scaling-run';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';

const NOW = Date.parse('2026-03-01T10:07:31Z');
/** NOW floored to the 5-minute rate. */
const TICK = Date.parse('2026-03-01T10:05:00Z');
const RATE_MS = 5 * 60_000;

/** `api`, `db` and `web` are enrolled; `legacy` exists but is not. */
function setup(config: Partial<UserConfigInput> = {}, stateStore?: MemoryStateStore) {
  const queued: GroupWorkItem[] = [];
  const deps = {
    scalingTarget: new FakeScalingTarget(
      ['api', 'db', 'legacy', 'web'].map((name) => groupSnapshot({ name })),
    ),
    queue: {
      enqueue: async (items: readonly GroupWorkItem[]) => {
        queued.push(...items);
        return [];
      },
    },
    clock: { nowMs: () => NOW },
    ...(stateStore ? { stateStore } : {}),
  };
  const parsed = parseConfig(
    userConfigSchema,
    { groups: { names: ['api', 'db', 'web'] }, ...config },
    'test',
  );
  return { queued, dispatch: () => dispatchScalingRun(deps, parsed) };
}

const order = (items: readonly GroupWorkItem[]) => items.map((i) => i.groupName);

describe('dispatchScalingRun', () => {
  it('queues upstream groups before their downstream groups, all for the floored tick', async () => {
    const { queued, dispatch } = setup({
      dependencies: {
        edges: [
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
        ],
      },
    });
    expect(await dispatch()).toEqual({
      tickMs: TICK,
      enrolledGroups: 3,
      enqueued: 3,
      failedToEnqueue: [],
      staleGroups: [],
      takenOut: [],
    });
    expect(order(queued)).toEqual(['web', 'api', 'db']);
    expect(queued.every((i) => i.tickMs === TICK)).toBe(true);
  });

  it('orders by the edges among enrolled groups, ignoring edges to groups not enrolled', async () => {
    const { queued, dispatch } = setup({
      dependencies: {
        edges: [
          { from: 'legacy', to: 'web' },
          { from: 'web', to: 'api' },
          { from: 'api', to: 'db' },
          { from: 'db', to: 'retired' },
        ],
      },
    });
    await dispatch();
    expect(order(queued)).toEqual(['web', 'api', 'db']);
  });

  it('reports groups whose last run is older than two rates, not those never run', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('api', { planningQuantile: 0.9, updatedAtMs: TICK - 2 * RATE_MS - 1 });
    await stateStore.putGroupState('db', { planningQuantile: 0.9, updatedAtMs: TICK - 2 * RATE_MS });
    const { dispatch } = setup({}, stateStore);
    expect((await dispatch()).staleGroups).toEqual(['api']);
  });
});
