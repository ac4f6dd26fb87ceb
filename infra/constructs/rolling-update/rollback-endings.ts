/**
 * How the branch ended, by the last rollback step: the recorded status, the notification's
 * subject, what the run did as the message says it (`summary`), the label of what the branch did
 * in the Cause and the message, and the status, subject and summary once the capacity restore
 * failed too (`notRestored`). Each status has its own end state (`outcomeStates`), so the console,
 * the subject, the message and the record say the same thing.
 */
export const ROLLBACK_ENDINGS = {
  rolledBack: {
    status: 'RolledBack',
    subject: 'Prescale rolling update rolled back',
    summary: 'did not complete',
    label: 'Rollback',
    notRestored: {
      status: 'RolledBack',
      subject: 'Prescale rolling update rolled back, capacity not restored',
      summary: 'did not complete',
    },
  },
  leftToOperator: {
    status: 'LeftToOperator',
    subject: 'Prescale rolling update left to operator',
    summary: 'did not complete',
    label: 'Left to operator',
    notRestored: {
      status: 'LeftToOperator',
      subject: 'Prescale rolling update left to operator, capacity not restored',
      summary: 'did not complete',
    },
  },
  // Past the give-up a refresh still replaces instances (the roll-back or cancel never accepted,
  // a rollback or cancel still under way, or a refresh this run did not start): nothing more was
  // undone, so "rolled back" would be false, and no restore was made under it (`hold`). Ends only
  // through the restore's failure, hence `notRestored` alone says it.
  leftRunning: {
    status: 'LeftRunning',
    subject: 'Prescale rolling update left running, capacity held',
    summary: 'did not complete',
    label: 'Left running',
    notRestored: {
      status: 'LeftRunning',
      subject: 'Prescale rolling update left running, capacity held',
      summary:
        'did not complete, and a refresh was still replacing instances when it gave up: nothing more was undone, and capacity was held, not restored',
    },
  },
  // The refresh succeeded before a later step failed (the restore, say): nothing was rolled back.
  rolledOut: {
    status: 'SucceededNeedsAttention',
    subject: 'Prescale rolling update succeeded, needs attention',
    summary:
      'rolled out: the new version stays and nothing was rolled back, and capacity was restored, but a later step failed (its Error and Cause follow) and needs attention',
    label: 'Rolled out',
    notRestored: {
      status: 'SucceededCapacityNotRestored',
      subject: 'Prescale rolling update succeeded, capacity not restored',
      summary:
        'rolled out: the new version stays and nothing was rolled back, but a later step failed (its Error and Cause follow) and capacity was NOT restored: set MinSize and DesiredCapacity back by hand',
    },
  },
  // Refused under the lock (the group changed or was deleted since validation, or a version it
  // launches or returns to cannot launch): nothing was started or changed.
  refused: {
    status: 'Refused',
    subject: 'Prescale rolling update refused, nothing changed',
    summary: 'was refused: nothing was started or changed',
    label: 'Refused',
  },
  // A step failed before the update added headroom ("Plan headroom", say): no refresh was started
  // and no capacity set, so nothing is rolled back and no capacity written over what scaling set
  // since. "Plan headroom" may have moved or deleted Prescale's look-ahead due during the refresh
  // already (a partly failed deletion is not retried): the summary says so.
  failedNothingChanged: {
    status: 'FailedNothingChanged',
    subject: 'Prescale rolling update failed, nothing changed',
    summary:
      "failed before it started a refresh or set any capacity: nothing was started, rolled back or restored; Prescale's look-ahead actions due during the refresh may have been moved or deleted, and the scaling loop writes them again at its next run",
    label: 'Nothing changed',
  },
  // The group was deleted during the update: nothing is left to roll back or restore.
  groupDeleted: {
    status: 'GroupDeleted',
    subject: 'Prescale rolling update ended, group deleted',
    summary:
      'ended: the Auto Scaling group was deleted during the update, so nothing is left to roll back or restore',
    label: 'Group deleted',
  },
} as const;

/** `$.rollback` once the group is found deleted: what the branch did, as the Cause and the message say it. */
export const NOTHING_MORE_TRIED = {
  action: 'none',
  reason: 'the group is gone: nothing is left to roll back or restore, and nothing more was tried on it',
  needsAttention: false,
};
