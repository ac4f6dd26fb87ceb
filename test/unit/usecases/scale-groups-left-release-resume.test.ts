import { translateAutoScalingError } from '../../../shared/aws/auto-scaling-error-translation';
import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { LeftRelease } from '../../../shared/ports/state-store';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { config, END, HOUR, setup } from './prewarm-campaign-setup';

const RUN_MS = 300_000;
// No run lowers MinSize by itself (scaleInPerTick 0, no policies): only a left release does.
const noScaleIn: UserConfig = userConfigSchema.parse({
  ...config,
  defaults: { ...config.defaults, scaleInPerTick: 0 },
});
type Setup = Awaited<ReturnType<typeof setup>>;

/** The loop's runs of `api`, one every five minutes from `fromMs`, as the worker runs them. */
async function runLoop(ctx: Setup, fromMs: number, runs: number, settings = noScaleIn) {
  const loopDeps = { ...ctx.deps, campaignsFor: campaignWindowsFor(ctx.campaigns) };
  for (let i = 0; i < runs; i++) {
    const tickMs = fromMs + i * RUN_MS;
    ctx.setNow(tickMs);
    await scaleGroups(loopDeps, settings, [{ groupName: 'api', tickMs }]);
  }
}

const setApi = (ctx: Setup, change: Partial<GroupSnapshot>) => {
  const api = ctx.scalingTarget.groups.get('api');
  if (!api) throw new Error('expected the api group');
  ctx.scalingTarget.groups.set('api', { ...api, ...change });
};
const apiMinSize = (ctx: Setup) => ctx.scalingTarget.groups.get('api')?.minSize;

/** A release of a pre-warm MinSize `from` → `to` left to the loop after the campaign. */
const left = (campaignId: string, from: number, to: number): LeftRelease => ({
  campaignId,
  before: { minSize: from, desiredCapacity: from },
  after: { minSize: to, desiredCapacity: to },
  leftAtMs: END,
  expiresAtMs: END + 30 * 24 * HOUR,
});

/** `api` at MinSize `minSize` with `releases` left to its loop, which needs 2 instances after the campaign. */
async function leftTo(minSize: number, releases: readonly LeftRelease[]) {
  const ctx = await setup();
  setApi(ctx, { minSize, desiredCapacity: minSize });
  for (const release of releases) await ctx.deps.stateStore.leaveRelease('api', release, END - HOUR);
  return ctx;
}

/** The next capacity change of `api` fails with what the adapter throws for Auto Scaling's `answer`. */
/** What the SDK throws: `name`, or Node's `code` under `Error`; its retry middleware sets `attempts`. */
interface SdkFailure {
  readonly name: string;
  readonly code?: string;
  readonly httpStatusCode?: number;
  readonly attempts: number;
}

function refuseNextChange(ctx: Setup, answer: SdkFailure) {
  const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
  ctx.scalingTarget.updateCapacity = async (groupName) => {
    ctx.scalingTarget.updateCapacity = update;
    const { httpStatusCode, attempts } = answer;
    const sdkError = Object.assign(new Error(answer.name), {
      name: answer.name,
      ...(answer.code !== undefined ? { code: answer.code } : {}),
      $metadata: { ...(httpStatusCode !== undefined ? { httpStatusCode } : {}), attempts },
    });
    throw translateAutoScalingError(sdkError, 'UpdateAutoScalingGroup', groupName);
  };
}

/** The settle after the next capacity change fails (DynamoDB throttled): the run dies before it settles. */
function loseNextSettle(ctx: Setup) {
  const store = ctx.deps.stateStore;
  const settle = store.settleLeftRelease.bind(store);
  const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
  let changed = false;
  ctx.scalingTarget.updateCapacity = async (...args) => {
    await update(...args);
    changed = true;
  };
  store.settleLeftRelease = async (...args) => {
    if (!changed) return settle(...args);
    throw new Error(
      'ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput',
    );
  };
  return () => {
    ctx.scalingTarget.updateCapacity = update;
    store.settleLeftRelease = settle;
  };
}

describe('scaleGroups resuming a release left to the loop after a run that failed', () => {
  it.each([
    ['throttled on its only attempt', { name: 'Throttling', httpStatusCode: 400, attempts: 1 }],
    ['refused as invalid on its only attempt', { name: 'ValidationError', httpStatusCode: 400, attempts: 1 }],
  ])(
    'performs the release later when Auto Scaling refused the change (%s), on a MinSize moved since',
    async (_n, answer) => {
      const ctx = await leftTo(8, [left('bf', 2, 8)]);
      refuseNextChange(ctx, answer);
      await runLoop(ctx, END + HOUR, 1);
      expect(apiMinSize(ctx)).toBe(8);
      expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([
        expect.not.objectContaining({ underWay: expect.anything() }),
      ]);
      // Raised by hand before the next run: the release still takes back what the pre-warm added.
      setApi(ctx, { minSize: 9, desiredCapacity: 9 });
      await runLoop(ctx, END + HOUR + RUN_MS, 1);
      expect(apiMinSize(ctx)).toBe(3);
      expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
    },
  );

  it.each([
    ['a timeout', { name: 'TimeoutError', attempts: 1 }],
    // The SDK retried: an earlier attempt may have landed, its answer lost; the last one's refusal proves nothing.
    ['throttled after a retry', { name: 'Throttling', httpStatusCode: 400, attempts: 2 }],
    ['ResourceContention after a retry', { name: 'ResourceContention', httpStatusCode: 500, attempts: 3 }],
    // A 500 leaves the outcome unknown, whatever its name.
    [
      'ResourceContention on the only attempt',
      { name: 'ResourceContention', httpStatusCode: 500, attempts: 1 },
    ],
    // The SDK keeps a 200's status on a body it could not parse: the change landed.
    ['a 200 whose body could not be read', { name: 'Error', httpStatusCode: 200, attempts: 1 }],
    ['refused as invalid after a retry', { name: 'ValidationError', httpStatusCode: 400, attempts: 2 }],
    ['a connection reset, as Node raises it', { name: 'Error', code: 'ECONNRESET', attempts: 3 }],
    ['a broken pipe on the only attempt', { name: 'Error', code: 'EPIPE', attempts: 1 }],
  ])(
    'keeps the release under way when the change’s outcome is unknown (%s): it may have landed',
    async (_n, answer) => {
      const ctx = await leftTo(8, [left('bf', 2, 8)]);
      refuseNextChange(ctx, answer);
      await runLoop(ctx, END + HOUR, 1);
      expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([
        expect.objectContaining({ underWay: expect.objectContaining({ fromMinSize: 8, toMinSize: 2 }) }),
      ]);
      // Still at the step's start: it never landed, and the next run performs the release.
      await runLoop(ctx, END + HOUR + RUN_MS, 1);
      expect(apiMinSize(ctx)).toBe(2);
      expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
    },
  );

  it('takes back no stacked release a second time out of a MinSize raised after the run that performed them', async () => {
    // sale 2 → 8, then launch 8 → 12 on top: the run takes back both (12 → 8 → 2) and dies before settling.
    const ctx = await leftTo(12, [left('sale', 2, 8), left('launch', 8, 12)]);
    const restore = loseNextSettle(ctx);
    await runLoop(ctx, END + HOUR, 1);
    expect(apiMinSize(ctx)).toBe(2);
    restore();
    // A look-ahead action for load raises MinSize to 8 before the next run.
    setApi(ctx, { minSize: 8, desiredCapacity: 8 });
    await runLoop(ctx, END + HOUR + RUN_MS, 2);
    expect(apiMinSize(ctx)).toBe(8);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });

  it('performs every stacked release when the run that marked them died before its change landed', async () => {
    const ctx = await leftTo(12, [left('sale', 2, 8), left('launch', 8, 12)]);
    refuseNextChange(ctx, { name: 'TimeoutError', attempts: 1 });
    await runLoop(ctx, END + HOUR, 1);
    expect(apiMinSize(ctx)).toBe(12);
    await runLoop(ctx, END + HOUR + RUN_MS, 1);
    expect(apiMinSize(ctx)).toBe(2);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });
});

describe('scaleGroups with a release left to the loop when the settings change', () => {
  it('takes the release back with the loop’s own lowering, never a second time once it no longer lowers MinSize', async () => {
    const ctx = await leftTo(8, [left('bf', 2, 8)]);
    // scaleInPerTick back to its default: the loop lowers MinSize from 8 to its plan at its own pace.
    await runLoop(ctx, END + HOUR, 12, config);
    expect(apiMinSize(ctx)).toBeLessThanOrEqual(2);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
    // MinSize raised by hand, then scaleInPerTick 0 again: the pre-warm's raise is long gone.
    setApi(ctx, { minSize: 6, desiredCapacity: 6 });
    await runLoop(ctx, END + 2 * HOUR, 2);
    expect(apiMinSize(ctx)).toBe(6);
  });

  it('leaves the rest of a release the loop lowered part of, owed from where it left MinSize', async () => {
    const ctx = await leftTo(8, [left('bf', 2, 8)]);
    await runLoop(ctx, END + HOUR, 1, config);
    const lowered = apiMinSize(ctx) ?? 0;
    expect(lowered).toBeLessThan(8);
    expect(lowered).toBeGreaterThan(2);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([
      expect.objectContaining({
        settledAtMinSize: lowered,
        after: expect.objectContaining({ minSize: lowered }),
      }),
    ]);
    await runLoop(ctx, END + HOUR + RUN_MS, 1);
    expect(apiMinSize(ctx)).toBe(2);
    expect(await ctx.deps.stateStore.leftReleases('api')).toEqual([]);
  });
});
