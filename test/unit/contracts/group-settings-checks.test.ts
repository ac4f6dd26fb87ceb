import { InvalidConfigError, parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const parse = (input: unknown) => parseConfig(userConfigSchema, input, 'config');

function problemsOf(input: unknown) {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('checkGroupSettings', () => {
  // A day-old refresh of a 1-minute fit over 14 days reaches 15 days and 3 minutes back.
  const daily = { stepSeconds: 60, historyDays: 14, forecastRefreshMinutes: 1440 };
  const timestream = {
    historySource: 'timestream',
    timestream: { database: 'metrics', table: 'asg_load', measureName: 'load' },
  };

  it('holds a 1-minute Timestream history to no 15-day reach, in the defaults and an override', () => {
    const config = parse({
      groups: { names: ['web', 'api'] },
      ...timestream,
      defaults: daily,
      groupOverrides: { api: daily },
    });
    expect(config.defaults).toMatchObject(daily);
    expect(config.groupOverrides.api).toMatchObject(daily);
  });

  it('still holds a 1-minute CloudWatch history to the 15 days CloudWatch keeps', () => {
    expect(problemsOf({ groups: { names: ['web', 'api'] }, defaults: daily })).toEqual([
      expect.objectContaining({
        path: 'defaults.historyDays',
        expected: expect.stringContaining('CloudWatch keeps data at periods under 300 s for 15 days'),
      }),
    ]);
    expect(
      problemsOf({ groups: { names: ['web', 'api'] }, groupOverrides: { api: daily } }).map((p) => p.path),
    ).toEqual(['groupOverrides.api.historyDays']);
  });
});
