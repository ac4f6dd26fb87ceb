import { updateConflicts } from '../../../../shared/core/dependencies/update-conflicts';

const edges = [
  { from: 'web', to: 'api' },
  { from: 'api', to: 'cache' },
  { from: 'cache', to: 'db' },
  { from: 'web', to: 'auth' },
];

describe('updateConflicts', () => {
  it('pairs groups joined by a direct edge, either way', () => {
    expect(updateConflicts(['api', 'web', 'db', 'auth'], edges, 'direct')).toEqual([
      { upstream: 'web', downstream: 'api', path: ['web', 'api'] },
      { upstream: 'web', downstream: 'auth', path: ['web', 'auth'] },
    ]);
  });

  it('pairs groups one reaches from the other, through groups that are not updating', () => {
    expect(updateConflicts(['web', 'db', 'auth', 'api'], edges, 'transitive')).toEqual([
      { upstream: 'web', downstream: 'db', path: ['web', 'api', 'cache', 'db'] },
      { upstream: 'web', downstream: 'auth', path: ['web', 'auth'] },
      { upstream: 'web', downstream: 'api', path: ['web', 'api'] },
      { upstream: 'api', downstream: 'db', path: ['api', 'cache', 'db'] },
    ]);
  });

  it('does not pair siblings that share only an upstream', () => {
    expect(updateConflicts(['api', 'auth'], edges, 'transitive')).toEqual([]);
  });
});
