import { synthesizedTemplate } from '../helpers/build-test-app';

describe('LookAheadCleanup', () => {
  const template = synthesizedTemplate();
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; DependsOn?: string[]; Properties?: Record<string, unknown> }
  >;
  const cleanupId = Object.keys(template.findResources('Custom::PrescaleLookAheadCleanup'))[0] as string;

  it('is one custom resource served by the remover through the CDK provider framework', () => {
    expect(cleanupId).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description:
        'Prescale: deletes the prescale- scheduled actions of enrolled and owned groups at stack deletion',
    });
  });

  it('gives CloudFormation a service timeout that covers the remover’s, not the default hour', () => {
    const remover = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        String(r.Properties?.Description).includes('scheduled actions of enrolled and owned groups'),
    );
    const serviceTimeout = Number(resources[cleanupId]?.Properties?.ServiceTimeout);
    expect(serviceTimeout).toBeGreaterThan(Number(remover?.Properties?.Timeout));
    expect(serviceTimeout).toBeLessThan(3_600);
  });

  it('times the remover out well before the provider framework that waits on it, so the framework still answers CloudFormation', () => {
    // The framework's onEvent function invokes the remover synchronously: a remover running to its
    // timeout must leave the framework time for the remover's cold start and its own answer.
    const remover = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        String(r.Properties?.Description).includes('scheduled actions of enrolled and owned groups'),
    );
    const serviceToken = resources[cleanupId]?.Properties?.ServiceToken as {
      'Fn::GetAtt'?: [string, string];
    };
    const frameworkId = serviceToken?.['Fn::GetAtt']?.[0] ?? 'the ServiceToken attribute of a function';
    const framework = resources[frameworkId];
    expect(framework?.Type).toBe('AWS::Lambda::Function');
    const removerTimeoutSeconds = Number(remover?.Properties?.Timeout);
    const frameworkTimeoutSeconds = Number(framework?.Properties?.Timeout);
    expect(frameworkTimeoutSeconds).toBeGreaterThan(0);
    expect(removerTimeoutSeconds).toBeLessThanOrEqual(frameworkTimeoutSeconds - 30);
  });

  it('is deleted after the loop: the schedule and the worker depend on it', () => {
    const dependents = Object.entries(resources).filter(([, r]) => r.DependsOn?.includes(cleanupId));
    const types = new Set(dependents.map(([, r]) => r.Type));
    expect(types).toContain('AWS::Scheduler::Schedule');
    expect(types).toContain('AWS::Lambda::EventSourceMapping');
    const worker = dependents.find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Description).includes('forecasts, plans'),
    );
    expect(worker).toBeDefined();
  });

  it('is deleted after every actor that changes groups: each depends on it, so CloudFormation deletes them first', () => {
    const actors = groupActors(resources, cleanupId);
    // What the template holds today, so a lookup that finds nothing cannot pass.
    const types = actors.map(([, r]) => r.Type);
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::StepFunctions::StateMachine',
      'AWS::Scheduler::ScheduleGroup',
      'AWS::Scheduler::Schedule',
      'AWS::Events::Rule',
    ])
      expect(types).toContain(type);
    const prewarm = actors.find(([, r]) =>
      String(r.Properties?.Description).includes('raises capacity before a campaign'),
    );
    expect(prewarm).toBeDefined();
    const notAfter = actors
      .filter(([, r]) => !r.DependsOn?.includes(cleanupId))
      .map(([id, r]) => `${id} (${r.Type})`);
    expect(notAfter).toEqual([]);
  });

  it('lets the remover delete scheduled actions of enrolled groups and of groups this deployment owns only', () => {
    const removerPolicies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
      id.includes('LookAheadCleanupRemover'),
    );
    const statements = removerPolicies.flatMap(
      ([, p]) =>
        p.Properties.PolicyDocument.Statement as {
          Sid?: string;
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
    const deletes = statements.filter((st) =>
      [st.Action].flat().includes('autoscaling:BatchDeleteScheduledAction'),
    );
    expect(deletes.length).toBeGreaterThan(0);
    for (const st of deletes) expect(st.Resource).not.toBe('*');
    // Enrolled groups: their look-ahead only.
    for (const st of deletes.filter((d) => d.Sid !== 'CleanUpOwnedGroups'))
      expect([st.Action].flat()).toEqual(['autoscaling:BatchDeleteScheduledAction']);
    // Any group's, but only where the group's prescale:deployment tag names this stack: its
    // look-ahead, and its own bounds back.
    const owned = statements.find((st) => st.Sid === 'CleanUpOwnedGroups');
    expect([owned?.Action].flat()).toEqual([
      'autoscaling:BatchDeleteScheduledAction',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:PutWarmPool',
    ]);
    expect(owned?.Condition).toEqual({
      StringEquals: { 'autoscaling:ResourceTag/prescale:deployment': expect.anything() },
    });
    // What Prescale recorded of those bounds, and the locks: reads of single items in the state
    // table; and a group's campaign releases left to its loop and its campaign pointers (one
    // partition's Query). The one write: marking its pre-warms released, in campaign partitions only.
    const table = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(table.map((st) => st.Action)).toEqual([
      ['dynamodb:GetItem', 'dynamodb:Query'],
      'dynamodb:UpdateItem',
    ]);
    expect(table[1]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CAMPAIGN#*'] },
    });
  });

  it('lets the remover read its own stack only (status and resources), to tell stack deletion from a replaced copy', () => {
    const statements = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.includes('LookAheadCleanupRemover'))
      .flatMap(
        ([, p]) =>
          p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const reads = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('cloudformation:')));
    expect(reads).toEqual([
      expect.objectContaining({
        Action: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        Resource: { Ref: 'AWS::StackId' },
      }),
    ]);
  });

  it('is deleted before the state table it reads the owned groups’ own bounds from', () => {
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable')).concat(
      Object.keys(template.findResources('AWS::DynamoDB::Table')),
    )[0] as string;
    const [removerId, remover] = Object.entries(resources).find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' &&
        String(r.Properties?.Description).includes('scheduled actions of enrolled and owned groups'),
    ) as [string, { Properties?: Record<string, unknown> }];
    // The remover refers to the table, the provider's function to the remover, the resource to the provider.
    expect(JSON.stringify(remover.Properties?.Environment)).toContain(tableId);
    const provider = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties?.Environment ?? {}).includes(removerId),
    );
    expect(provider).toBeDefined();
    expect(JSON.stringify(resources[cleanupId]?.Properties?.ServiceToken)).toMatch(/Provider/);
  });
});

type TemplateResource = { Type: string; DependsOn?: string[]; Properties?: Record<string, unknown> };

/** Auto Scaling and Step Functions actions that change a group, or start what does. */
const CHANGES_GROUPS =
  /^(autoscaling:(Update|Put|Start|Cancel|Rollback|Set|Create|Delete|BatchPut|BatchDelete|Attach|Detach|Enter|Exit|Terminate|Suspend|Resume)|states:StartExecution|ec2:CreateLaunchTemplateVersion)/;

/**
 * Everything in the template that changes groups, derived from it (so an actor added later is
 * checked too): each Lambda function whose role may change a group or start a workflow that does
 * (the remover itself aside), every state machine, every schedule group, and every schedule and
 * rule whose target is one of those.
 */
function groupActors(
  resources: Record<string, TemplateResource>,
  cleanupId: string,
): [string, TemplateResource][] {
  const rolesThatChange = new Set<string>();
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    const doc = r.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] };
    if (!doc.Statement.some((st) => [st.Action].flat().some((a) => CHANGES_GROUPS.test(a)))) continue;
    for (const role of (r.Properties?.Roles ?? []) as { Ref: string }[]) rolesThatChange.add(role.Ref);
  }
  const remover = JSON.stringify(resources[cleanupId]?.Properties ?? {});
  const functions = Object.entries(resources).filter(([id, r]) => {
    if (r.Type !== 'AWS::Lambda::Function') return false;
    const role = (r.Properties?.Role as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt']?.[0];
    return role !== undefined && rolesThatChange.has(role) && !isRemover(id, r, remover);
  });
  const stateMachines = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  const targets = new Set([...functions, ...stateMachines].map(([id]) => id));
  const triggers = Object.entries(resources).filter(
    ([, r]) =>
      (r.Type === 'AWS::Scheduler::Schedule' || r.Type === 'AWS::Events::Rule') &&
      [...targets].some((id) =>
        JSON.stringify(r.Properties?.Target ?? r.Properties?.Targets ?? {}).includes(`"${id}"`),
      ),
  );
  const groups = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup');
  return [...functions, ...stateMachines, ...triggers, ...groups];
}

/** The remover, and the provider framework's function that invokes it. */
function isRemover(id: string, r: TemplateResource, cleanupProperties: string): boolean {
  return (
    String(r.Properties?.Description).includes('scheduled actions of enrolled and owned groups') ||
    cleanupProperties.includes(`"${id}"`) ||
    id.includes('LookAheadCleanup')
  );
}
