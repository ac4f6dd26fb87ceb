import { localStateMachine } from './local-state-machine';

const PASS = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

/** Doubles its input's `s` into `a` and `b`: the output is twice the input. */
const DOUBLE = {
  StartAt: 'Double',
  States: { Double: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, End: true } },
};

/** Counts `n` up to `until`: four history events a turn (Pass and Choice, each entered and exited). */
const COUNT = {
  StartAt: 'Count',
  States: {
    Count: {
      Type: 'Pass',
      Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'until.$': '$.until' },
      Next: 'Done?',
    },
    'Done?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.n', NumericEqualsPath: '$.until', Next: 'Done' }],
      Default: 'Count',
    },
    Done: { Type: 'Succeed' },
  },
};

/** Waits `$.seconds`, then passes its input on. */
const WAIT = {
  StartAt: 'Wait a while',
  States: {
    'Wait a while': { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
const NO_WAITING = { overrides: { waitTimeOverrides: { 'Wait a while': 0 } } };

/** How the run failed: the error's name and message, as the library's ExecutionError carries them. */
async function failure(result: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await result.then(
    () => new Error('expected the run to fail'),
    (e: unknown) => e,
  )) as { cause?: Error };
  return { name: error.cause?.name ?? 'none', message: error.cause?.message ?? '' };
}

describe('localStateMachine', () => {
  it('runs a definition it has already validated, as the first time', async () => {
    await expect(localStateMachine(PASS).run({ a: 1 } as never).result).resolves.toEqual({ a: 1 });
    await expect(localStateMachine(PASS).run({ a: 2 } as never).result).resolves.toEqual({ a: 2 });
  });

  it('refuses an invalid definition every time it is given', () => {
    const broken = { StartAt: 'Nowhere', States: { Echo: { Type: 'Pass', End: true } } };
    expect(() => localStateMachine(broken)).toThrow(/Nowhere|StartAt|invalid/i);
    expect(() => localStateMachine(broken)).toThrow(/Nowhere|StartAt|invalid/i);
  });

  it('refuses ResultPath "$", which the library would run unlike Step Functions', () => {
    const replace = { StartAt: 'R', States: { R: { Type: 'Pass', Result: 1, ResultPath: '$', End: true } } };
    expect(() => localStateMachine(replace)).toThrow(/ResultPath "\$"/);
  });

  it('fails a state whose output passes 256 KiB with States.DataLimitExceeded, as Step Functions does', async () => {
    const fits = localStateMachine(DOUBLE).run({ s: 'x'.repeat(120_000) });
    await expect(fits.result).resolves.toMatchObject({ a: expect.any(String) });
    const over = localStateMachine(DOUBLE).run({ s: 'x'.repeat(140_000) });
    expect(await failure(over.result)).toEqual({
      name: 'States.DataLimitExceeded',
      message: expect.stringMatching(/output of state "Double" is 2800\d\d bytes, over the 262144/),
    });
  });

  it('counts UTF-8 bytes: a state input of 100,000 three-byte characters is over the limit', async () => {
    const over = localStateMachine(PASS).run({ s: '→'.repeat(100_000) });
    expect((await failure(over.result)).name).toBe('States.DataLimitExceeded');
  });

  it('fails an execution past 25,000 history events, and passes the events on meanwhile', async () => {
    await expect(localStateMachine(COUNT).run({ n: 0, until: 6_000 }).result).resolves.toEqual({
      n: 6_000,
      until: 6_000,
    });
    const long = localStateMachine(COUNT).run({ n: 0, until: 6_300 });
    let entered = 0;
    for await (const event of long.eventLogs) if (event.type === 'StateEntered') entered += 1;
    expect(await failure(long.result)).toEqual({
      name: 'States.HistoryLimitExceeded',
      message: expect.stringContaining('passed 25000 events'),
    });
    expect(entered).toBeGreaterThan(12_000);
  }, 60_000);

  it('fails an overridden Wait whose SecondsPath selects no non-negative integer with States.Runtime, as Step Functions does', async () => {
    await expect(localStateMachine(WAIT).run({ seconds: 2 }, NO_WAITING).result).resolves.toEqual({
      seconds: 2,
    });
    for (const seconds of [12.5, -1, '60']) {
      expect(await failure(localStateMachine(WAIT).run({ seconds }, NO_WAITING).result)).toEqual({
        name: 'States.Runtime',
        message: `state "Wait a while": the Wait's $.seconds is ${JSON.stringify(seconds)}; Step Functions waits only a non-negative integer number of seconds`,
      });
    }
  });

  it('fails a Wait inside a Map the same way', async () => {
    const inMap = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: WAIT, End: true } },
    };
    const run = localStateMachine(inMap).run({ items: [{ seconds: 1 }, { seconds: 0.5 }] }, NO_WAITING);
    expect(await failure(run.result)).toMatchObject({
      name: 'States.Runtime',
      message: expect.stringContaining('0.5'),
    });
  });

  it("fills the context object as Step Functions does: each state's EnteredTime, the start time given", async () => {
    const T0 = Date.parse('2026-03-02T01:00:00Z');
    let now = T0;
    const timed = {
      StartAt: 'Work an hour',
      States: {
        'Work an hour': {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:w',
          Next: 'Note',
        },
        Note: {
          Type: 'Pass',
          Parameters: { 'entered.$': '$$.State.EnteredTime', 'started.$': '$$.Execution.StartTime' },
          End: true,
        },
      },
    };
    const run = localStateMachine(timed).run(
      {},
      {
        overrides: {
          taskResourceLocalHandlers: {
            'Work an hour': async () => {
              now += 3_600_000;
              return { worked: true };
            },
          },
        },
        context: { Execution: { StartTime: '2026-03-02T00:59:59.250Z' } },
        nowMs: () => now,
      },
    );
    await expect(run.result).resolves.toEqual({
      entered: '2026-03-02T02:00:00.000Z',
      started: '2026-03-02T00:59:59.250Z',
    });
  });

  it('refuses a fixed State in the context, which would give every state the same EnteredTime', () => {
    const fixed = { context: { State: { EnteredTime: '2026-03-02T01:00:00Z' } } };
    expect(() => localStateMachine(PASS).run({}, fixed as never)).toThrow(
      /pass nowMs instead of a fixed State/,
    );
  });

  it.each(['States.Runtime', 'States.DataLimitExceeded'])(
    'fails the run on a Task error named %s, which no States.ALL catcher takes in Step Functions',
    async (name) => {
      const caught = {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:c',
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Succeed' },
        },
      };
      const raise = (errorName: string) => async () => {
        throw Object.assign(new Error('refused'), { name: errorName });
      };
      const handled = localStateMachine(caught).run(
        {},
        { overrides: { taskResourceLocalHandlers: { Call: raise('Lambda.ServiceException') } } },
      );
      await expect(handled.result).resolves.toMatchObject({ error: { Error: 'Lambda.ServiceException' } });
      const run = localStateMachine(caught).run(
        {},
        { overrides: { taskResourceLocalHandlers: { Call: raise(name) } } },
      );
      expect(await failure(run.result)).toEqual({ name, message: 'state "Call": refused' });
    },
  );

  it('lets a Task that sets no timeout run past the 60 s the library would give it', async () => {
    jest.useFakeTimers();
    try {
      const slow = {
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:w', End: true },
        },
      };
      const tenMinutes = () =>
        new Promise<{ worked: boolean }>((resolve) => setTimeout(() => resolve({ worked: true }), 600_000));
      const run = localStateMachine(slow).run(
        {},
        { overrides: { taskResourceLocalHandlers: { Work: tenMinutes } } },
      );
      const settled = run.result.then(
        (output) => ({ output }),
        (error: { cause?: Error }) => ({ error: error.cause?.name }),
      );
      await jest.advanceTimersByTimeAsync(600_000);
      await expect(settled).resolves.toEqual({ output: { worked: true } });
    } finally {
      jest.useRealTimers();
    }
  });
});
