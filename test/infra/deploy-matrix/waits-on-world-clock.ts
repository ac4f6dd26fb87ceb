type Json = Record<string, unknown>;

interface State {
  Type?: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Branches?: { States: Record<string, State> }[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
}

/** Where an execution's Wait states move the simulated world's clock, and what they waited. */
export interface WorldClock {
  readonly nowMs: () => number;
  /** Moves the world to `ms` (minute by minute, as its load and loop go on). */
  readonly advanceTo: (ms: number) => Promise<void>;
}

/** A Wait state's input at a reference path (`$.plan.pollIntervalSeconds`); only plain dotted paths. */
function atPath(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][\w-]*)*$/.test(path)) throw new Error(`unsupported Wait path ${path}`);
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((value, key) => (value as Json | undefined)?.[key], input);
}

/** When a Wait state entered at `nowMs` with `input` ends, as Step Functions computes it. */
export function waitEndsAt(state: State, input: unknown, nowMs: number): number {
  const seconds = state.SecondsPath === undefined ? state.Seconds : atPath(input, state.SecondsPath);
  if (typeof seconds === 'number') return nowMs + Math.max(0, seconds) * 1000;
  const stamp = state.TimestampPath === undefined ? state.Timestamp : atPath(input, state.TimestampPath);
  if (typeof stamp === 'string' && !Number.isNaN(Date.parse(stamp)))
    return Math.max(nowMs, Date.parse(stamp));
  throw new Error(`Wait state: no number of seconds or timestamp in its input (${JSON.stringify(state)})`);
}

/**
 * The definition with every Wait state (nested ones too) run on the simulated world's clock: each
 * becomes a Task, of the same name and transitions, whose local handler moves `clock` as far as the
 * Wait would have waited (Seconds, SecondsPath, Timestamp, TimestampPath) and passes its input on
 * unchanged (`ResultPath: null`), so an execution's waits take the world's time, not the machine's.
 * Returns the rewritten definition, the handlers to add to the run's Task handlers, and a log of
 * each wait as `state: seconds`.
 */
export function waitsOnWorldClock(
  definition: Json,
  clock: WorldClock,
): { definition: Json; handlers: Record<string, (input: unknown) => Promise<unknown>>; waited: string[] } {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const waited: string[] = [];
  const rewrite = (states: Record<string, State>): Record<string, State> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        const nested = {
          ...(state.Branches
            ? { Branches: state.Branches.map((b) => ({ ...b, States: rewrite(b.States) })) }
            : {}),
          ...(state.ItemProcessor
            ? { ItemProcessor: { ...state.ItemProcessor, States: rewrite(state.ItemProcessor.States) } }
            : {}),
          ...(state.Iterator
            ? { Iterator: { ...state.Iterator, States: rewrite(state.Iterator.States) } }
            : {}),
        };
        if (state.Type !== 'Wait') return [name, { ...state, ...nested }];
        handlers[name] = async (input: unknown) => {
          const from = clock.nowMs();
          const to = waitEndsAt(state, input, from);
          waited.push(`${name}: ${(to - from) / 1000} s`);
          await clock.advanceTo(to);
          return {};
        };
        const { Seconds, SecondsPath, Timestamp, TimestampPath, Type, ...kept } = state;
        return [
          name,
          {
            ...kept,
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:sfn:describeStateMachine',
            ResultPath: null,
          },
        ];
      }),
    );
  return {
    definition: { ...definition, States: rewrite(definition.States as Record<string, State>) },
    handlers,
    waited,
  };
}
