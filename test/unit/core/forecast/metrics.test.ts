import { existsSync } from 'node:fs';
import path from 'node:path';
import { MetricInputError } from '../../../../shared/core/forecast/errors';
import { coverage, mase, maseScale, msis, owa, smape } from '../../../../shared/core/forecast/metrics';
import { naive2 } from '../../../bench/lib/naive2';
import { readM4 } from '../../../bench/lib/read-m4';

const DATA_DIR = path.resolve(__dirname, '../../../../../shared/data');

describe('metrics', () => {
  it('computes sMAPE by hand', () => {
    // 200·|100−110|/210 = 9.5238…, 200·|50−50|/100 = 0 → mean 4.7619…
    expect(smape([100, 50], [110, 50])).toBeCloseTo(4.761904761904762, 12);
    expect(smape([0, 0], [0, 0])).toBe(0);
    expect(smape([0], [5])).toBe(200);
  });

  it('computes the MASE scale and MASE by hand', () => {
    const insample = [1, 2, 3, 2, 4, 6];
    // m = 3: |2−1| + |4−2| + |6−3| = 6 over 3 → scale 2
    expect(maseScale(insample, 3)).toBe(2);
    expect(mase(insample, [5, 5], [4, 8], 3)).toBe(1);
    expect(maseScale([1, 2], 3)).toBeNaN();
  });

  it('computes MSIS and coverage by hand', () => {
    const insample = [1, 2, 3, 2, 4, 6]; // scale 2 for m = 3
    // level 95 → a = 0.05; widths 2 + 2; penalties: y=0 below L=1 → 40·1, y=5 above U=3 → 40·2
    expect(msis(insample, [0, 2, 5], [1, 1, 1], [3, 3, 3], 95, 3)).toBeCloseTo(
      (2 + 40 + 2 + 2 + 80) / 3 / 2,
      10,
    );
    expect(coverage([0, 2, 3], [1, 1, 1], [3, 3, 3])).toBeCloseTo(2 / 3, 12);
  });

  it('computes OWA on values rounded to 3 decimals', () => {
    expect(owa(18.3834, 2.3951, 18.383, 2.395)).toBe(1);
    expect(owa(9.1915, 1.1975, 18.383, 2.395)).toBeCloseTo(0.5, 3);
  });

  it('rejects misaligned or empty inputs with MetricInputError', () => {
    expect(() => smape([1, 2], [1])).toThrow(MetricInputError);
    expect(() => coverage([], [], [])).toThrow(MetricInputError);
  });

  const m4 = existsSync(DATA_DIR) ? readM4(DATA_DIR) : undefined;
  if (m4 === undefined) {
    it('skips: ../shared/data is absent', () => {
      console.warn(`M4 scorer check skipped: ${DATA_DIR}/m4-hourly not found`);
    });
  } else {
    it('reproduces the published M4 Hourly Naive2 and seasonal naive sMAPE and MASE', () => {
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const scores = { n2s: [] as number[], n2m: [] as number[], sns: [] as number[], snm: [] as number[] };
      for (const s of m4) {
        const n = s.train.length;
        const n2 = naive2(s.train, 24, 48);
        const sn = Array.from({ length: 48 }, (_, h) => s.train[n - 24 + (h % 24)] as number);
        scores.n2s.push(smape(s.test, n2));
        scores.n2m.push(mase(s.train, s.test, n2, 24));
        scores.sns.push(smape(s.test, sn));
        scores.snm.push(mase(s.train, s.test, sn, 24));
      }
      expect(m4).toHaveLength(414);
      expect(mean(scores.n2s).toFixed(3)).toBe('18.383');
      expect(mean(scores.n2m).toFixed(3)).toBe('2.395');
      expect(mean(scores.sns).toFixed(3)).toBe('13.912');
      expect(mean(scores.snm).toFixed(3)).toBe('1.193');
    });
  }
});
