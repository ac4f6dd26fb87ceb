import {
  type StackResourceSummary,
  shouldUninstall,
} from '../../../../shared/core/planning/should-uninstall';

const TYPE = 'Custom::PrescaleLookAheadCleanup';
const self = { logicalResourceId: 'ScalerCleanupResourceOLD', resourceType: TYPE };
const cleanup = (logicalResourceId: string, resourceStatus: string): StackResourceSummary => ({
  logicalResourceId,
  resourceType: TYPE,
  resourceStatus,
});
const beingDeleted = cleanup(self.logicalResourceId, 'DELETE_IN_PROGRESS');
const liveCopy = cleanup('RenamedScalerCleanupResourceNEW', 'CREATE_COMPLETE');
const bucket = {
  logicalResourceId: 'Bucket',
  resourceType: 'AWS::S3::Bucket',
  resourceStatus: 'CREATE_COMPLETE',
};

describe('shouldUninstall', () => {
  it.each([
    ['the stack is deleted', 'DELETE_IN_PROGRESS', [beingDeleted, liveCopy], 'uninstall'],
    ["the stack's creation rolls back", 'ROLLBACK_IN_PROGRESS', [beingDeleted, liveCopy], 'uninstall'],
    [
      'a renamed construct leaves its old copy behind',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      [beingDeleted, liveCopy, bucket],
      'skip',
    ],
    [
      "a failed update's rollback deletes the new copy",
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      [cleanup(self.logicalResourceId, 'DELETE_IN_PROGRESS'), cleanup('Kept', 'UPDATE_COMPLETE')],
      'skip',
    ],
    [
      'a rolling-back update deletes the new copy',
      'UPDATE_ROLLBACK_IN_PROGRESS',
      [beingDeleted, liveCopy],
      'skip',
    ],
    [
      'the scaler is taken out of the stack',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      [beingDeleted, bucket],
      'uninstall',
    ],
    [
      'the only other copy is being deleted too',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      [beingDeleted, cleanup('Other', 'DELETE_IN_PROGRESS')],
      'uninstall',
    ],
    ['the stack lists nothing', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', [], 'uninstall'],
  ] as const)('when %s (%s)', (_, status, resources, kind) => {
    expect(shouldUninstall(status, resources, self).kind).toBe(kind);
  });

  it('names the copy that still serves the deployment when it skips', () => {
    expect(shouldUninstall('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', [beingDeleted, liveCopy], self)).toEqual({
      kind: 'skip',
      reason: expect.stringContaining('RenamedScalerCleanupResourceNEW still serves this deployment'),
    });
  });
});
