/**
 * The context object (`$$`) as Step Functions fills it, for aws-local-stepfunctions 3.0.0, which
 * fills it otherwise. Step Functions documents `Execution.StartTime` and `State.EnteredTime` as
 * "Format: ISO 8601" and says "During an execution, the Context object is populated with relevant
 * data" (Step Functions, "Accessing execution data from the Context object"): EnteredTime is when
 * the state being run was entered, StartTime when the execution started. The library gives no
 * `State` at all (a path into it fails with States.Runtime, or reads whatever fixed value a
 * harness passed in), and overwrites any `Execution.StartTime` it is given with the machine's wall
 * clock (`StateMachine.execute`), so a harness on a simulated clock could never set it.
 */

/** Where the start time a run was given travels, since the library overwrites `Execution.StartTime`. */
const START_TIME_AS_GIVEN = 'StartTimeAsGiven';

/** The definition's JSON text reading the start time from where the library leaves it alone. */
export function readingStartTimeAsGiven(definitionText: string): string {
  return definitionText.replace(/\$\$\.Execution\.StartTime\b/g, () => `$$.Execution.${START_TIME_AS_GIVEN}`);
}

interface GivenContext {
  readonly Execution?: Record<string, unknown> & { readonly StartTime?: string };
  readonly State?: unknown;
  readonly [field: string]: unknown;
}

/**
 * The context to run with: the given one, `Execution.StartTime` as given (or `nowMs()` when the
 * run starts), and `State.EnteredTime` read from `nowMs` whenever a state's paths read it. The
 * library evaluates a state's InputPath and Parameters as it enters the state, before its Task
 * handler runs, so on a clock that moves only inside Tasks that is the time the state was entered.
 * @throws when `State` is given: a fixed EnteredTime is the same for every state, unlike AWS's.
 */
export function contextObject(given: GivenContext | undefined, nowMs: () => number): Record<string, unknown> {
  if (given?.State !== undefined) {
    throw new Error(
      'context.State is filled in as Step Functions fills it; pass nowMs instead of a fixed State',
    );
  }
  const startTime = given?.Execution?.StartTime ?? new Date(nowMs()).toISOString();
  return {
    ...given,
    Execution: { ...given?.Execution, StartTime: startTime, [START_TIME_AS_GIVEN]: startTime },
    State: {
      get EnteredTime() {
        return new Date(nowMs()).toISOString();
      },
    },
  };
}
