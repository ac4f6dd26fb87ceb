import { keptForTheRun } from './run-synth-cache';
import { TEST_TEMP_ROOT_ENV, withOwnTestTempRoot } from './test-temp-root';

describe('keptForTheRun', () => {
  withOwnTestTempRoot('prescale-synth-cache-');

  it('synthesizes a key once a run, and gives each caller its own copy', () => {
    const synth = jest.fn(() => ({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }));
    const first = keptForTheRun({ config: 'a' }, synth);
    (first.Resources as Record<string, unknown>).Extra = {};
    const second = keptForTheRun({ config: 'a' }, synth);
    expect(synth).toHaveBeenCalledTimes(1);
    expect(second).toEqual({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    expect(keptForTheRun({ config: 'b' }, () => 'other')).toBe('other');
  });

  it('keeps no failed synth: the next caller sees the error again', () => {
    const failing = jest.fn(() => {
      throw new Error('AwsSolutions-SQS3');
    });
    expect(() => keptForTheRun({ config: 'bad' }, failing)).toThrow('AwsSolutions-SQS3');
    expect(() => keptForTheRun({ config: 'bad' }, failing)).toThrow('AwsSolutions-SQS3');
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('answers from a stricter build of the same thing, never the other way round', () => {
    keptForTheRun({ config: 'a', validate: true }, () => 'validated');
    expect(
      keptForTheRun({ config: 'a', validate: false }, () => 'plain', [{ config: 'a', validate: true }]),
    ).toBe('validated');
    expect(keptForTheRun({ config: 'c', validate: true }, () => 'validated c')).toBe('validated c');
    keptForTheRun({ config: 'd', validate: false }, () => 'plain d');
    expect(keptForTheRun({ config: 'd', validate: true }, () => 'validated d')).toBe('validated d');
  });

  it('keeps nothing outside a Jest run (no run root)', () => {
    delete process.env[TEST_TEMP_ROOT_ENV];
    const synth = jest.fn(() => 1);
    keptForTheRun({ config: 'a' }, synth);
    keptForTheRun({ config: 'a' }, synth);
    expect(synth).toHaveBeenCalledTimes(2);
  });
});
