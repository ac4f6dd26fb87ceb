import {
  alarmStateOf,
  evaluationRangeValues,
  type MetricAlarmRule,
  type MissingDataTreatment,
  mathEvaluationRangeValues,
} from '../../../../shared/simulation/world/metric-alarm-evaluation';

/** The User Guide's tables: threshold 0, "0" not breaching, "X" breaching, "-" missing. */
const rule = (datapointsToAlarm: number, treatMissingData: MissingDataTreatment): MetricAlarmRule => ({
  periodSeconds: 300,
  evaluationPeriods: 3,
  datapointsToAlarm,
  threshold: 0,
  comparison: 'GreaterThanThreshold',
  statistic: 'Maximum',
  treatMissingData,
});

const range = (row: string): (number | undefined)[] =>
  row.split(' ').map((c) => (c === '-' ? undefined : c === 'X' ? 1 : 0));

// "How alarm state is evaluated when data is missing": each row's states for missing, ignore,
// breaching and notBreaching ("retain" keeps the current state), 3 of 3 then 2 of 3.
const USER_GUIDE_ROWS: [number, string, string, string, string, string][] = [
  [3, '0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  [3, '0 - - - -', 'OK', 'OK', 'OK', 'OK'],
  [3, '- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  [3, '0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  [3, '- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  [3, 'X - - - -', 'ALARM', 'retain', 'ALARM', 'OK'],
  [2, '0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  [2, '0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  [2, '0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
  [2, '- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
  [2, '- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
];
const TREATMENTS: MissingDataTreatment[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

const cases = USER_GUIDE_ROWS.flatMap(([m, row, ...states]) =>
  TREATMENTS.map((treatment, i) => ({ m, row, treatment, expected: states[i] as string })),
);
const realCount = (row: string) => row.split(' ').filter((c) => c !== '-').length;
// Missing and ignore with some, but fewer than three, real datapoints: the guide gives no rule.
const modelled = cases.filter(
  (c) =>
    c.treatment === 'breaching' ||
    c.treatment === 'notBreaching' ||
    realCount(c.row) === 0 ||
    realCount(c.row) >= 3,
);

describe('alarmStateOf (the CloudWatch User Guide’s evaluation of missing data)', () => {
  it.each(modelled)('$m of 3, $row, treated as $treatment: $expected', ({ m, row, treatment, expected }) => {
    for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
      expect(alarmStateOf(range(row), rule(m, treatment), current)).toBe(
        expected === 'retain' ? current : expected,
      );
    }
  });

  it.each(cases.filter((c) => !modelled.includes(c)))(
    '$m of 3, $row, treated as $treatment: refused, the guide states no rule ($expected in its table)',
    ({ m, row, treatment }) => {
      expect(() => alarmStateOf(range(row), rule(m, treatment), 'OK')).toThrow(
        new RegExp(`treatMissingData '${treatment}' with \\d of 3 datapoints`),
      );
    },
  );

  it('evaluates the newest real datapoints when enough are in the range, whatever the setting', () => {
    // Four real datapoints, the last three breaching: missing periods between them do not count.
    expect(alarmStateOf(range('0 X - X X'), rule(3, 'notBreaching'), 'OK')).toBe('ALARM');
    expect(alarmStateOf(range('X X - X 0'), rule(3, 'breaching'), 'ALARM')).toBe('OK');
  });

  it.each([
    ['GreaterThanOrEqualToThreshold', 5, 'ALARM'],
    ['GreaterThanThreshold', 5, 'OK'],
    ['LessThanThreshold', 4, 'ALARM'],
    ['LessThanOrEqualToThreshold', 5, 'ALARM'],
    ['LessThanThreshold', 5, 'OK'],
  ] as const)('compares with %s (value %d against 5)', (comparison, value, expected) => {
    const oneOfOne = { ...rule(1, 'missing'), evaluationPeriods: 1, threshold: 5, comparison };
    expect(alarmStateOf([value], oneOfOne, 'OK')).toBe(expected);
  });
});

describe('evaluationRangeValues', () => {
  const minute = 60_000;
  const oneMinute = { ...rule(1, 'breaching'), periodSeconds: 60, statistic: 'Sum' as const };

  it('reads the complete periods before now, the newest being the one just ended', () => {
    // Queried at 11:26:05, a 60 s alarm's range ends with the 11:25 period (the guide's example).
    const at = (hhmm: number, s = 0) => Date.UTC(2022, 10, 8, Math.floor(hhmm / 100), hhmm % 100, s);
    const points = [1123, 1124, 1125, 1126].map((t) => ({ timestampMs: at(t, 10), value: t }));
    expect(evaluationRangeValues(points, oneMinute, at(1126, 5), 3)).toEqual([1123, 1124, 1125]);
  });

  it('aggregates a period by the statistic and leaves a period without data missing', () => {
    const points = [
      { timestampMs: 0, value: 2 },
      { timestampMs: 30_000, value: 5 },
      { timestampMs: 2 * minute, value: 1 },
    ];
    const values = (statistic: MetricAlarmRule['statistic']) =>
      evaluationRangeValues(points, { ...oneMinute, statistic }, 3 * minute, 3);
    expect(values('Sum')).toEqual([7, undefined, 1]);
    expect(values('Maximum')).toEqual([5, undefined, 1]);
    expect(values('Minimum')).toEqual([2, undefined, 1]);
    expect(values('Average')).toEqual([3.5, undefined, 1]);
    expect(values('SampleCount')).toEqual([2, undefined, 1]);
  });

  it('does not read a datapoint before it is readable (log processing)', () => {
    const late = [{ timestampMs: 2 * minute + 5_000, value: 1, readableFromMs: 3 * minute + 40_000 }];
    expect(evaluationRangeValues(late, oneMinute, 3 * minute + 10_000, 2)).toEqual([undefined, undefined]);
    expect(evaluationRangeValues(late, oneMinute, 3 * minute + 50_000, 2)).toEqual([undefined, 1]);
  });
});

describe('mathEvaluationRangeValues', () => {
  const MINUTE = 60_000;
  const point = (minute: number, value: number, readableMinute = minute) => ({
    timestampMs: minute * MINUTE,
    value,
    readableFromMs: readableMinute * MINUTE,
  });
  const throttled = [point(1, 1), point(2, 1), point(6, 0), point(11, 3)];
  const runs = [point(1, 1), point(2, 1), point(3, 1), point(6, 4), point(11, 4, 16)];
  const inputs = [
    { id: 'throttled', statistic: 'Sum' as const, datapoints: throttled },
    { id: 'runs', statistic: 'Sum' as const, datapoints: runs },
  ];

  it("evaluates the expression on each input's period values, none where the inputs have no datapoint", () => {
    // At minute 15: periods 0–5, 5–10 and 10–15; the last one's runs are not readable yet.
    expect(
      mathEvaluationRangeValues('IF(runs > 0, throttled / runs, 0)', inputs, 300, 15 * MINUTE, 3),
    ).toEqual([2 / 3, 0, undefined]);
    expect(
      mathEvaluationRangeValues('IF(runs > 0, throttled / runs, 0)', inputs, 300, 16 * MINUTE, 4),
    ).toEqual([undefined, 2 / 3, 0, 3 / 4]);
  });
});
