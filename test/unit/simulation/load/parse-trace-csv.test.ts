import { parseTraceCsv } from '../../../../shared/simulation/load/parse-trace-csv';
import { TraceFormatError } from '../../../../shared/simulation/load/trace-format-error';

const rows = (n: number, stepMinutes = 5) =>
  Array.from({ length: n }, (_, i) => {
    const t = new Date(Date.UTC(2014, 3, 10) + i * stepMinutes * 60_000)
      .toISOString()
      .replace('T', ' ')
      .slice(0, 19);
    return `${t},${(i % 7) + 1}`;
  });
const csv = (lines: string[]) => ['timestamp,value', ...lines].join('\n');
const day = rows(300);

function errorOf(text: string, options = {}): TraceFormatError {
  try {
    parseTraceCsv(text, 'trace.csv', options);
  } catch (error) {
    if (error instanceof TraceFormatError) return error;
    throw error;
  }
  throw new Error('expected a TraceFormatError');
}

describe('parseTraceCsv', () => {
  it('reads NAB/CloudWatch rows as UTC timestamps', () => {
    const { points } = parseTraceCsv(csv(day), 'trace.csv');
    expect(points).toHaveLength(300);
    expect(points[0]).toEqual({ timestampMs: Date.UTC(2014, 3, 10), value: 1 });
  });

  it('accepts CRLF, a BOM, blank lines and ISO timestamps', () => {
    const text = `\uFEFFtimestamp,value\r\n${day.map((l) => l.replace(' ', 'T').replace(',', 'Z,')).join('\r\n')}\r\n\r\n`;
    expect(parseTraceCsv(text, 'trace.csv').points).toHaveLength(300);
  });

  it.each([
    [
      'a missing column',
      [...day.slice(0, 3), '2014-04-11 01:00:00', ...day.slice(3)],
      5,
      /expected 2 columns/,
    ],
    ['an extra column', [...day.slice(0, 3), '2014-04-11 01:00:00,1,2'], 5, /got 3/],
    ['a non-numeric value', [...day.slice(0, 10), '2014-04-12 01:00:00,abc'], 12, /"abc" is not a number/],
    ['a bad timestamp', ['yesterday,1', ...day], 2, /"yesterday" is not a date/],
    ['a negative value', [...day.slice(0, 4), '2014-04-12 01:00:00,-3'], 6, /negative/],
  ])('names the line of %s', (_what, lines, line, message) => {
    const error = errorOf(csv(lines));
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`line ${line}`);
  });

  it('names the line of an unsorted timestamp and the one before it', () => {
    const lines = [...day];
    [lines[20], lines[21]] = [lines[21] as string, lines[20] as string];
    const error = errorOf(csv(lines));
    expect(error.line).toBe(23);
    expect(error.message).toMatch(/earlier than the one on line 22/);
  });

  it('rejects a duplicate timestamp unless asked to merge it', () => {
    const lines = [...day.slice(0, 50), day[49]?.replace(/,\d+$/, ',9') as string, ...day.slice(50)];
    const error = errorOf(csv(lines));
    expect(error.line).toBe(52);
    expect(error.message).toMatch(/duplicate timestamp .* \(also on line 51\)/);
    const merged = parseTraceCsv(csv(lines), 'trace.csv', { mergeDuplicates: true });
    expect(merged.mergedDuplicates).toBe(1);
    expect(merged.points[49]?.value).toBeCloseTo(
      ((day[49]?.split(',')[1] ? Number(day[49].split(',')[1]) : 0) + 9) / 2,
    );
  });

  it('rejects a header-less file, an empty file and a too short trace', () => {
    expect(errorOf(day.join('\n')).message).toMatch(/line 1: expected the header/);
    expect(errorOf('').message).toMatch(/empty/);
    expect(errorOf(csv(day.slice(0, 20))).message).toMatch(/too short: rows cover 1\.6 h/);
    expect(errorOf(csv(day.slice(0, 5))).message).toMatch(/too short: 5 data row/);
  });
});
