import { ec2PredictiveForecast } from '../../../../shared/simulation/policies/ec2-predictive-forecast';

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
