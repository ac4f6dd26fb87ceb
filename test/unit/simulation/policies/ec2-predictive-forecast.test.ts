import {
  EC2_PREDICTIVE_DEFAULTS,
  ec2PredictiveForecast,
  ec2PredictiveSelectedForecast,
} from '../../../../shared/simulation/policies/ec2-predictive-forecast';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const history = (hours: number, f: (h: number) => number) =>
  Array.from({ length: hours }, (_, h) => ({ hourStartMs: START + h * HOUR, load: f(h) }));

describe('ec2PredictiveForecast', () => {
  it('needs 24 hours of history', () => {
    expect(
      ec2PredictiveForecast(
        history(23, () => 1),
        START + 23 * HOUR,
      ),
    ).toEqual([]);
    expect(
      ec2PredictiveForecast(
        history(24, () => 1),
        START + 24 * HOUR,
      ),
    ).toHaveLength(48);
  });

  it('repeats a stable daily pattern for 48 hours', () => {
    const daily = (h: number) => 100 + 50 * Math.sin((2 * Math.PI * h) / 24);
    const forecast = ec2PredictiveForecast(history(72, daily), START + 72 * HOUR);
    forecast.forEach((v, h) => {
      expect(v).toBeCloseTo(daily(72 + h), 6);
    });
  });

  it('blends in the same hour of last week once a week of history exists', () => {
    const weekly = (h: number) => (Math.floor(h / 24) % 7 === 0 ? 200 : 100);
    const forecast = ec2PredictiveForecast(history(7 * 24, weekly), START + 7 * 24 * HOUR);
    // Next day is the weekly high day. Daily part: days 1–6 back are 100 (weights 0.8^0..0.8^5),
    // day 7 back is 200 (weight 0.8^6); weekly part: 200; blended half and half.
    const weights = Array.from({ length: 7 }, (_, k) => 0.8 ** k);
    const daily =
      (100 * weights.slice(0, 6).reduce((a, b) => a + b, 0) + 200 * (weights[6] as number)) /
      weights.reduce((a, b) => a + b, 0);
    expect(forecast[0]).toBeCloseTo(0.5 * daily + 0.5 * 200, 9);
  });
});

describe('ec2PredictiveSelectedForecast', () => {
  const DAY = 24 * HOUR;

  it('keeps the blend when the history before the last day is too short to forecast it', () => {
    const load = (h: number) => 100 + (h % 24);
    const choice = ec2PredictiveSelectedForecast(history(40, load), START + 40 * HOUR);
    expect(choice).toEqual({
      loads: ec2PredictiveForecast(history(40, load), START + 40 * HOUR),
      weeklyWeight: EC2_PREDICTIVE_DEFAULTS.weeklyWeight,
      chosenBy: 'fallback',
    });
  });

  it('keeps the blend when every candidate forecasts the last day equally well', () => {
    // A week and a half of the same day: the days and the weeks agree, so the candidates tie.
    const daily = (h: number) => 100 + 50 * Math.sin((2 * Math.PI * h) / 24);
    const choice = ec2PredictiveSelectedForecast(history(10 * 24, daily), START + 10 * DAY);
    expect(choice.weeklyWeight).toBe(EC2_PREDICTIVE_DEFAULTS.weeklyWeight);
    expect(choice.chosenBy).toBe('fallback');
  });

  it('chooses the weekly pattern alone when it forecasts the last day best', () => {
    // Two weeks whose day 0 of each week is busy: the last day (day 13) is quiet like day 6, but the
    // days before it include day 7, so only the weekly pattern forecasts it without error.
    const weekly = (h: number) => (Math.floor(h / 24) % 7 === 0 ? 200 : 100);
    const choice = ec2PredictiveSelectedForecast(history(14 * 24, weekly), START + 14 * DAY);
    expect(choice.weeklyWeight).toBe(1);
    expect(choice.chosenBy).toBe('backtest');
    expect(choice.loads.slice(0, 24)).toEqual(Array.from({ length: 24 }, () => 200));
  });

  it('chooses the daily pattern alone when the load has moved since the weeks before', () => {
    // 100 for nine days, then 200: the same hour one and two weeks back still reads 100.
    const shifted = (h: number) => (h < 9 * 24 ? 100 : 200);
    const choice = ec2PredictiveSelectedForecast(history(14 * 24, shifted), START + 14 * DAY);
    expect(choice.weeklyWeight).toBe(0);
    expect(choice.chosenBy).toBe('backtest');
    expect(choice.loads).toEqual(
      ec2PredictiveForecast(history(14 * 24, shifted), START + 14 * DAY, {
        ...EC2_PREDICTIVE_DEFAULTS,
        weeklyWeight: 0,
      }),
    );
  });

  it('backtests on the history it forecasts from, never on the hours it forecasts', () => {
    const weekly = (h: number) => (Math.floor(h / 24) % 7 === 0 ? 200 : 100);
    const past = history(14 * 24, weekly);
    const withFuture = [...past, ...history(16 * 24, () => 1e6).slice(14 * 24)];
    expect(ec2PredictiveSelectedForecast(withFuture, START + 14 * DAY)).toEqual(
      ec2PredictiveSelectedForecast(past, START + 14 * DAY),
    );
  });
});
