import fc from 'fast-check';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import { resolveGroupSettings } from '../../../shared/usecases/resolve-group-settings';

const config = (defaults: UserConfigInput['defaults'] = {}) =>
  userConfigSchema.parse({ groups: { names: ['web'] }, mode: 'forecast-and-scale', defaults });

const quantiles = (tags: Record<string, string>, defaults: UserConfigInput['defaults'] = {}) => {
  const { settings, ignoredTags } = resolveGroupSettings(config(defaults), 'web', tags);
  return {
    start: settings.planningQuantile,
    min: settings.planningQuantileMin,
    max: settings.planningQuantileMax,
    ignoredTags,
  };
};

describe('resolveGroupSettings', () => {
  it('keeps the configured planning quantile and bounds without the tag', () => {
    expect(quantiles({})).toEqual({ start: 0.6, min: 0.55, max: 0.99, ignoredTags: [] });
  });

  it.each([
    ['caps the bound and leaves a lower start and minimum', '0.8', { start: 0.6, min: 0.55, max: 0.8 }],
    ['brings the start down to the cap', '0.58', { start: 0.58, min: 0.55, max: 0.58 }],
    ['brings the start and the minimum down to the cap', '0.52', { start: 0.52, min: 0.52, max: 0.52 }],
    ['takes the highest quantile the forecast gives', '0.99', { start: 0.6, min: 0.55, max: 0.99 }],
  ])('with prescale:planning-quantile-max, %s', (_, tag, expected) => {
    expect(quantiles({ 'prescale:planning-quantile-max': tag })).toEqual({ ...expected, ignoredTags: [] });
  });

  // 0.995: above the forecast's widest interval (98 %), a cap every run would fail to plan at.
  it.each(['0.5', '0.995', '1', 'high', '-0.7', ''])(
    'ignores and reports a prescale:planning-quantile-max of %p',
    (tag) => {
      const resolved = quantiles({ 'prescale:planning-quantile-max': tag });
      expect(resolved).toMatchObject({ start: 0.6, min: 0.55, max: 0.99 });
      expect(resolved.ignoredTags).toEqual([
        `prescale:planning-quantile-max=${tag} (expected a number above 0.5 and at most 0.99, the highest quantile the forecast gives)`,
      ]);
    },
  );

  it('keeps min ≤ start ≤ max ≤ the tag for any configuration and any usable tag', () => {
    const quantile = fc.double({ min: 0.51, max: 0.98, noNaN: true });
    fc.assert(
      fc.property(fc.array(quantile, { minLength: 3, maxLength: 3 }), quantile, (qs, cap) => {
        const [min, start, max] = [...qs].sort((a, b) => a - b) as [number, number, number];
        const resolved = quantiles(
          { 'prescale:planning-quantile-max': String(cap) },
          { planningQuantileMin: min, planningQuantile: start, planningQuantileMax: max },
        );
        expect(resolved.ignoredTags).toEqual([]);
        expect(resolved.max).toBe(cap);
        expect(resolved.min).toBeLessThanOrEqual(resolved.start);
        expect(resolved.start).toBeLessThanOrEqual(resolved.max);
      }),
    );
  });

  it('applies the target and floor tags next to the quantile cap', () => {
    const { settings } = resolveGroupSettings(config(), 'web', {
      'prescale:target-load-per-instance': '75',
      'prescale:floor': '3',
      'prescale:planning-quantile-max': '0.55',
    });
    expect(settings).toMatchObject({
      targetLoadPerInstance: 75,
      floorCapacity: 3,
      planningQuantileMax: 0.55,
    });
  });

  it('opts a group in to the recurring peak by tag, over the configured default (off)', () => {
    const days = (tags: Record<string, string>, defaults: UserConfigInput['defaults'] = {}) => {
      const { settings, ignoredTags } = resolveGroupSettings(config(defaults), 'web', tags);
      return { days: settings.recurringPeakDays, ignoredTags };
    };
    expect(days({})).toEqual({ days: 0, ignoredTags: [] });
    expect(days({ 'prescale:recurring-peak-days': '7' })).toEqual({ days: 7, ignoredTags: [] });
    expect(days({ 'prescale:recurring-peak-days': '0' }, { recurringPeakDays: 7 })).toEqual({
      days: 0,
      ignoredTags: [],
    });
    for (const tag of ['15', '2.5', '-1', 'on'])
      expect(days({ 'prescale:recurring-peak-days': tag })).toEqual({
        days: 0,
        ignoredTags: [`prescale:recurring-peak-days=${tag} (expected a whole number 0–14)`],
      });
  });

  it.each([
    [
      'prescale:recurring-peak-days',
      'recurringPeakDays',
      5,
      '5',
      '6',
      'a whole number 0–5, at most historyDays',
    ],
    ['prescale:floor-check-days', 'floorCheckDays', 4, '4', '5', 'a whole number 0–4, at most historyDays'],
  ] as const)(
    'reads %s (%s) only up to the historyDays it is read from (%s)',
    (key, setting, historyDays, within, beyond, expected) => {
      const read = (tag: string) => {
        const { settings, ignoredTags } = resolveGroupSettings(config({ historyDays }), 'web', {
          [key]: tag,
        });
        return { value: settings[setting], ignoredTags };
      };
      expect(read(within)).toEqual({ value: Number(within), ignoredTags: [] });
      expect(read(beyond)).toEqual({
        value: config().defaults[setting],
        ignoredTags: [`${key}=${beyond} (expected ${expected})`],
      });
    },
  );

  it('opts a group in to holding its recent load by tag, over the configured default (off)', () => {
    const minutes = (tags: Record<string, string>, defaults: UserConfigInput['defaults'] = {}) => {
      const { settings, ignoredTags } = resolveGroupSettings(config(defaults), 'web', tags);
      return { minutes: settings.recentLoadHoldMinutes, ignoredTags };
    };
    expect(minutes({})).toEqual({ minutes: 0, ignoredTags: [] });
    expect(minutes({ 'prescale:recent-load-hold-minutes': '60' })).toEqual({ minutes: 60, ignoredTags: [] });
    expect(minutes({ 'prescale:recent-load-hold-minutes': '0' }, { recentLoadHoldMinutes: 60 })).toEqual({
      minutes: 0,
      ignoredTags: [],
    });
    expect(minutes({ 'prescale:recent-load-hold-minutes': '1440' })).toEqual({
      minutes: 1440,
      ignoredTags: [],
    });
    for (const tag of ['1441', '2.5', '-1', 'on'])
      expect(minutes({ 'prescale:recent-load-hold-minutes': tag })).toEqual({
        minutes: 0,
        ignoredTags: [`prescale:recent-load-hold-minutes=${tag} (expected a whole number 0–1440)`],
      });
  });

  it.each([
    ['prescale:recent-load-hold-quantile', 'recentLoadHoldQuantile', 0.95],
    ['prescale:scale-in-ahead-target-ratio', 'scaleInAheadTargetRatio', 0.9],
  ] as const)(
    'sets a share by the %s tag (its %s), over the configured default (%s)',
    (key, setting, byDefault) => {
      const share = (tags: Record<string, string>, defaults: UserConfigInput['defaults'] = {}) => {
        const { settings, ignoredTags } = resolveGroupSettings(config(defaults), 'web', tags);
        return { share: settings[setting], ignoredTags };
      };
      expect(share({})).toEqual({ share: byDefault, ignoredTags: [] });
      expect(share({ [key]: '0.75' })).toEqual({ share: 0.75, ignoredTags: [] });
      expect(share({ [key]: '1' }, { [setting]: 0.8 })).toEqual({ share: 1, ignoredTags: [] });
      for (const tag of ['0', '1.5', '-0.5', 'p75'])
        expect(share({ [key]: tag }, { [setting]: 0.8 })).toEqual({
          share: 0.8,
          ignoredTags: [`${key}=${tag} (expected a number in (0, 1])`],
        });
    },
  );

  it('turns the floor from the forecast off or on for one group by tag, over the configured default (on)', () => {
    const floor = (tags: Record<string, string>, defaults: UserConfigInput['defaults'] = {}) => {
      const { settings, ignoredTags } = resolveGroupSettings(config(defaults), 'web', tags);
      return { forecastFloor: settings.forecastFloor, ignoredTags };
    };
    expect(floor({})).toEqual({ forecastFloor: true, ignoredTags: [] });
    expect(floor({ 'prescale:forecast-floor': 'false' })).toEqual({ forecastFloor: false, ignoredTags: [] });
    expect(floor({ 'prescale:forecast-floor': 'true' }, { forecastFloor: false })).toEqual({
      forecastFloor: true,
      ignoredTags: [],
    });
    for (const tag of ['no', '0', '', ' ', 'yes', 'true!', 'f'])
      expect(floor({ 'prescale:forecast-floor': tag }, { forecastFloor: false })).toEqual({
        forecastFloor: false,
        ignoredTags: [`prescale:forecast-floor=${tag} (expected true or false)`],
      });
  });

  // As prescale:mode and prescale:paused are read: the case and surrounding whitespace of a word
  // say nothing about which of the two it is.
  it.each([
    ['FALSE', false],
    ['False', false],
    [' false\t', false],
    ['TRUE', true],
    [' True ', true],
  ])(
    'reads a prescale:forecast-floor of %p as %p, whatever its case and surrounding whitespace',
    (tag, value) => {
      const { settings, ignoredTags } = resolveGroupSettings(config({ forecastFloor: !value }), 'web', {
        'prescale:forecast-floor': tag,
      });
      expect({ forecastFloor: settings.forecastFloor, ignoredTags }).toEqual({
        forecastFloor: value,
        ignoredTags: [],
      });
    },
  );

  it('resolves the mode from the group tag, then its override, then the defaults, then the top level', () => {
    const layered = userConfigSchema.parse({
      groups: { names: ['web', 'api', 'db'] },
      mode: 'forecast-and-scale',
      defaults: { mode: 'forecast-only' },
      groupOverrides: { api: { mode: 'forecast-and-scale' } },
    });
    const modeOf = (group: string, tags: Record<string, string> = {}) =>
      resolveGroupSettings(layered, group, tags);
    expect(modeOf('web').mode).toBe('forecast-only');
    expect(modeOf('api').mode).toBe('forecast-and-scale');
    expect(modeOf('api', { 'prescale:mode': 'forecast-only' }).mode).toBe('forecast-only');
    expect(modeOf('web', { 'prescale:mode': 'forecast-and-scale' }).mode).toBe('forecast-and-scale');
    expect(modeOf('web', { 'prescale:mode': 'scale' })).toMatchObject({
      mode: 'forecast-only',
      ignoredTags: ['prescale:mode=scale (expected forecast-only or forecast-and-scale; held forecast-only)'],
    });
    expect(resolveGroupSettings(config(), 'web', {}).mode).toBe('forecast-and-scale');
  });

  it("keeps the user's defaults for every setting an override does not name", () => {
    const layered = userConfigSchema.parse({
      groups: { names: ['web', 'api'] },
      defaults: { stepSeconds: 3600, targetLoadPerInstance: 50, floorCapacity: 2, planningQuantile: 0.7 },
      groupOverrides: { api: { floorCapacity: 4 } },
    });
    expect(layered.groupOverrides.api).toEqual({ floorCapacity: 4 });
    const api = resolveGroupSettings(layered, 'api', {}).settings;
    expect(api).toEqual({ ...resolveGroupSettings(layered, 'web', {}).settings, floorCapacity: 4 });
    expect(api).toMatchObject({ stepSeconds: 3600, targetLoadPerInstance: 50, planningQuantile: 0.7 });
  });

  it.each([
    ['Forecast-Only', 'forecast-only'],
    [' forecast-only ', 'forecast-only'],
    ['FORECAST-AND-SCALE', 'forecast-and-scale'],
    ['\tforecast-and-scale', 'forecast-and-scale'],
  ])('reads a prescale:mode of %p as %s', (tag, mode) => {
    const configured = userConfigSchema.parse({ groups: { names: ['web'] }, mode: 'forecast-only' });
    expect(resolveGroupSettings(config(), 'web', { 'prescale:mode': tag })).toMatchObject({
      mode,
      ignoredTags: [],
    });
    expect(resolveGroupSettings(configured, 'web', { 'prescale:mode': tag })).toMatchObject({
      mode,
      ignoredTags: [],
    });
  });

  it.each(['forecast_only', 'readonly', 'off', 'forecast-and-scale-later', '', ' '])(
    'holds a group forecast-only under a prescale:mode of %p, in a forecast-and-scale deployment',
    (tag) => {
      expect(resolveGroupSettings(config(), 'web', { 'prescale:mode': tag })).toEqual(
        expect.objectContaining({
          mode: 'forecast-only',
          ignoredTags: [
            `prescale:mode=${tag} (expected forecast-only or forecast-and-scale; held forecast-only)`,
          ],
        }),
      );
    },
  );

  it('reads a target as a CPU percentage for the cpu load from CloudWatch, in its own unit otherwise', () => {
    const target = (tag: string, parsed: ReturnType<typeof config>) => {
      const { settings, ignoredTags } = resolveGroupSettings(parsed, 'web', {
        'prescale:target-load-per-instance': tag,
      });
      return { target: settings.targetLoadPerInstance, ignoredTags };
    };
    // 600 for 60: one instance's CPU never shows 600 %, and the loop would shed the fleet to one.
    for (const tag of ['100', '600'])
      expect(target(tag, config())).toEqual({
        target: 60,
        ignoredTags: [
          `prescale:target-load-per-instance=${tag} (expected a CPU percentage above 0 and below 100)`,
        ],
      });
    expect(target('99.5', config())).toEqual({ target: 99.5, ignoredTags: [] });
    const requests = config({
      metric: { kind: 'custom', namespace: 'App', metricName: 'Requests', stat: 'Sum' },
    });
    expect(target('600', requests)).toEqual({ target: 600, ignoredTags: [] });
  });

  // Every numeric tag, with a value it accepts and a configured value the malformed ones must keep.
  const numericTags = [
    ['prescale:floor', 'floorCapacity', 'whole', '3', 3, 'a whole number ≥ 0'],
    ['prescale:recurring-peak-days', 'recurringPeakDays', 'whole', '3', 3, 'a whole number 0–14'],
    ['prescale:recent-load-hold-minutes', 'recentLoadHoldMinutes', 'whole', '3', 3, 'a whole number 0–1440'],
    ['prescale:floor-check-days', 'floorCheckDays', 'whole', '3', 3, 'a whole number 0–7'],
    [
      'prescale:target-load-per-instance',
      'targetLoadPerInstance',
      'decimal',
      '0.75',
      0.75,
      'a CPU percentage above 0 and below 100',
    ],
    [
      'prescale:steady-hold-max-extra-cost',
      'steadyHoldMaxExtraCost',
      'decimal',
      '0.75',
      0.75,
      'a number in [0, 1]',
    ],
    [
      'prescale:recent-load-hold-quantile',
      'recentLoadHoldQuantile',
      'decimal',
      '0.75',
      0.75,
      'a number in (0, 1]',
    ],
    [
      'prescale:scale-in-ahead-target-ratio',
      'scaleInAheadTargetRatio',
      'decimal',
      '0.75',
      0.75,
      'a number in (0, 1]',
    ],
  ] as const;
  const configured = {
    floorCapacity: 2,
    recurringPeakDays: 2,
    recentLoadHoldMinutes: 2,
    floorCheckDays: 2,
    targetLoadPerInstance: 0.5,
    steadyHoldMaxExtraCost: 0.5,
    recentLoadHoldQuantile: 0.5,
    scaleInAheadTargetRatio: 0.5,
  } as const;
  const malformed = [
    '',
    ' ',
    '0x5',
    '1e2',
    '1E0',
    '+1',
    '-0',
    'Infinity',
    '1 2',
    '1,5',
    '.5',
    '1.',
    '0b1',
    '１',
  ];

  describe.each(numericTags)('the %s tag (%s)', (key, setting, numeral, good, value, expected) => {
    const read = (tag: string) => {
      const { settings, ignoredTags } = resolveGroupSettings(config(configured), 'web', { [key]: tag });
      return { value: settings[setting], ignoredTags };
    };

    it('reads a plain numeral, with surrounding whitespace dropped', () => {
      expect(read(good)).toEqual({ value, ignoredTags: [] });
      expect(read(` ${good}\t`)).toEqual({ value, ignoredTags: [] });
    });

    it.each(numeral === 'whole' ? [...malformed, '2.0', '0.5'] : malformed)(
      'ignores and reports %p, keeping the configured value',
      (tag) => {
        expect(read(tag)).toEqual({
          value: configured[setting],
          ignoredTags: [`${key}=${tag} (expected ${expected})`],
        });
      },
    );
  });

  it('keeps the configured floor under an empty prescale:floor, so a group cannot go to 0 by it', () => {
    const { settings, ignoredTags } = resolveGroupSettings(config({ floorCapacity: 3 }), 'web', {
      'prescale:floor': '',
    });
    expect(settings.floorCapacity).toBe(3);
    expect(ignoredTags).toEqual(['prescale:floor= (expected a whole number ≥ 0)']);
  });

  it.each(['0x0.8', '8e-1', ' ', '+0.8', '.8'])(
    'ignores and reports a prescale:planning-quantile-max of %p, however near a number',
    (tag) => {
      expect(quantiles({ 'prescale:planning-quantile-max': tag })).toEqual({
        start: 0.6,
        min: 0.55,
        max: 0.99,
        ignoredTags: [
          `prescale:planning-quantile-max=${tag} (expected a number above 0.5 and at most 0.99, the highest quantile the forecast gives)`,
        ],
      });
    },
  );

  it('reads a prescale:planning-quantile-max with surrounding whitespace', () => {
    expect(quantiles({ 'prescale:planning-quantile-max': ' 0.8 ' })).toEqual({
      start: 0.6,
      min: 0.55,
      max: 0.8,
      ignoredTags: [],
    });
  });
});
