import { StateMachine } from 'aws-local-stepfunctions';
import { localStateMachine } from '../../helpers/local-state-machine';
import { waitsOnWorldClock } from './waits-on-world-clock';

const T0 = Date.parse('2026-03-02T01:00:00Z');

describe('waitsOnWorldClock', () => {
  const definition = {
    StartAt: 'Wait a minute',
    States: {
      'Wait a minute': { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Both' },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Wait inside', States: { 'Wait inside': { Type: 'Wait', Seconds: 30, End: true } } },
        ],
        ResultPath: null,
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };

  it("moves the world's clock as far as each Wait, nested ones too, and passes the input on", async () => {
    let now = T0;
    const moves: number[] = [];
    const clock = {
      nowMs: () => now,
      advanceTo: async (ms: number) => {
        moves.push(ms);
        now = ms;
      },
    };
    const waits = waitsOnWorldClock(definition, clock);
    const output = await new StateMachine(waits.definition as never).run(
      { seconds: 120, keep: 'me' } as never,
      {
        overrides: { taskResourceLocalHandlers: waits.handlers as never },
      },
    ).result;
    expect(output).toEqual({ seconds: 120, keep: 'me' });
    expect(moves).toEqual([T0 + 120_000, T0 + 150_000]);
    expect(waits.waited).toEqual(['Wait a minute: 120 s', 'Wait inside: 30 s']);
  });

  it('leaves every other state as written', () => {
    const { definition: rewritten } = waitsOnWorldClock(definition, {
      nowMs: () => T0,
      advanceTo: async () => {},
    });
    const states = rewritten.States as Record<string, Record<string, unknown>>;
    expect(states.Done).toEqual(definition.States.Done);
    expect(states['Wait a minute']).toMatchObject({ Type: 'Task', Next: 'Both', ResultPath: null });
    expect(states['Wait a minute']).not.toHaveProperty('SecondsPath');
  });

  it('counts each Wait it runs as a Task as the two history events Step Functions writes for a Wait', async () => {
    // Per turn, as Step Functions writes them: Pass, Wait and Choice, each entered and exited (6).
    // As a Task the Wait would count 5 (scheduled, started, succeeded too): 9 a turn, 31,500 here.
    const loop = {
      StartAt: 'Count',
      States: {
        Count: {
          Type: 'Pass',
          Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'until.$': '$.until' },
          Next: 'Pause',
        },
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Done?' },
        'Done?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericEqualsPath: '$.until', Next: 'Done' }],
          Default: 'Count',
        },
        Done: { Type: 'Succeed' },
      },
    };
    let now = T0;
    const waits = waitsOnWorldClock(loop, {
      nowMs: () => now,
      advanceTo: async (ms) => {
        now = ms;
      },
    });
    const run = localStateMachine(waits.definition).run(
      { n: 0, until: 3_500 },
      { overrides: { taskResourceLocalHandlers: waits.handlers as never } },
    );
    await expect(run.result).resolves.toEqual({ n: 3_500, until: 3_500 });
    expect(now).toBe(T0 + 3_500_000);
  }, 60_000);
});
