/**
 * docs/SECURITY.md's role table held to a synthesized template: every action a role's policies
 * grant must be listed in the row that describes the role, so the document a reviewer reads is the
 * policy AWS would enforce (a grant added without its row, or a row left stale, fails).
 */
import type { CfnResource, CfnTemplate } from '../../../shared/simulation/aws-checks/resolve-intrinsics';

/** The actions a document row allows: exact names, `service:Name` or `service:Prefix*`. */
export type DocumentedActions = ReadonlySet<string>;

/** What the document says: each role row's actions, and its terms' (`*every function*`…). */
export interface SecurityDocument {
  readonly roles: ReadonlyMap<string, DocumentedActions>;
  readonly terms: ReadonlyMap<string, DocumentedActions>;
}

/**
 * Which row describes a policy, by the construct path in its logical ID (first match wins; the
 * stack's own prefix varies with the app, e.g. `Prescale` or the README example's `Scaler`).
 */
const ROLE_ROWS: readonly (readonly [RegExp, string])[] = [
  [/ScalingLoopDispatcherRole/, 'scaling loop: dispatcher'],
  [/ScalingLoopWorkerRole/, 'scaling loop: worker'],
  [/LookAheadCleanupRemoverRole/, 'look-ahead cleanup'],
  [/LookAheadCleanupProviderframework/, 'look-ahead cleanup provider'],
  [/ScheduleRole|SchedulerRole|DailyRole/, 'schedules'],
  [/InstanceTypesFunctionRole/, 'instance-type selector'],
  [/CampaignsReceiverRole/, 'campaign receiver'],
  [/CampaignsPrewarmRole/, 'campaign pre-warm'],
  [/RollingUpdatesStateMachineRole/, 'rolling-update state machine'],
  [/RollingUpdatesfindscheduledmaintenanceRole/, 'scheduled-maintenance scan'],
  [/RollingUpdatesrequestrollingupdateRole/, 'rolling-update requester'],
  [/RollingUpdates\w+Role/, 'rolling-update decision functions'],
  [/UpdatePlansStateMachineRole/, 'update-plan state machine'],
  [/UpdatePlans\w+Role/, 'update-plan functions'],
];

/** What every role trusted by a service has besides its row (the document's terms). */
const SERVICE_TERMS: Readonly<Record<string, string>> = {
  'lambda.amazonaws.com': 'every function',
  'states.amazonaws.com': 'every state machine',
};

const ACTION = /^(?:([a-z0-9-]+):)?([A-Z][A-Za-z0-9]*\*?)$/;

/** The actions named in one cell: `service:Name`, and bare `Name`s of the last service named. */
function actionsOf(cell: string): string[] {
  const actions: string[] = [];
  let service: string | undefined;
  for (const [, token] of cell.matchAll(/`([^`]+)`/g)) {
    const match = ACTION.exec(token as string);
    if (!match) continue;
    service = match[1] ?? service;
    if (service !== undefined) actions.push(`${service}:${match[2]}`);
  }
  return actions;
}

/** The `*term*`s a cell names (outside code spans, where `*` is a wildcard or a resource). */
const termsNamedIn = (cell: string): string[] =>
  [...cell.replace(/`[^`]*`/g, '').matchAll(/\*([A-Za-z][^*]*)\*/g)].map((m) => m[1] as string);

/** Reads the `## Roles` section: its table rows (role → the "may" column) and its term list. */
export function parseSecurityDocument(markdown: string): SecurityDocument {
  const section = markdown.split(/^## Roles$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('docs/SECURITY.md has no "## Roles" section');
  const terms = new Map<string, Set<string>>();
  for (const [, term, text] of section.matchAll(/^- \*([^*]+)\*: (.+)$/gm))
    terms.set(term as string, new Set(actionsOf(text as string)));
  const roles = new Map<string, Set<string>>();
  let role: Set<string> | undefined;
  for (const line of section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
    const [name = '', may = ''] = line
      .split('|')
      .slice(1)
      .map((c) => c.trim());
    if (name === 'role') continue;
    if (name !== '') {
      role = new Set();
      roles.set(name.split(' (')[0] as string, role);
    }
    if (role === undefined) throw new Error(`a continuation row before any role: ${line}`);
    for (const action of actionsOf(may)) role.add(action);
    for (const term of termsNamedIn(may)) {
      const actions = terms.get(term);
      if (!actions)
        throw new Error(`the row "${line}" names the term *${term}*, which the list does not define`);
      for (const action of actions) role.add(action);
    }
  }
  return { roles, terms };
}

const allows = (documented: DocumentedActions, action: string): boolean =>
  documented.has(action) || [...documented].some((d) => d.endsWith('*') && action.startsWith(d.slice(0, -1)));

/**
 * Every granted action the document does not list for the role, one line each
 * (`row: action (policy)`), and every policy no row describes.
 */
export function undocumentedGrants(template: CfnTemplate, document: SecurityDocument): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const row = ROLE_ROWS.find(([pattern]) => pattern.test(id))?.[1];
    const documented = row === undefined ? undefined : document.roles.get(row);
    if (documented === undefined) {
      problems.push(
        `${id}: no row of docs/SECURITY.md describes this role${row ? ` (expected "${row}")` : ''}`,
      );
      continue;
    }
    const besides = trustedServices(template, resource).flatMap((service) => {
      const term = SERVICE_TERMS[service];
      return term === undefined ? [] : [...(document.terms.get(term) ?? [])];
    });
    const allowed = new Set([...documented, ...besides]);
    for (const action of grantedActions(resource))
      if (!allows(allowed, action)) problems.push(`${row}: ${action} (${id})`);
  }
  return [...new Set(problems)];
}

function grantedActions(policy: CfnResource): string[] {
  const statements = (policy.Properties?.PolicyDocument?.Statement ?? []) as { Action?: string | string[] }[];
  return statements.flatMap((s) => (s.Action === undefined ? [] : [s.Action].flat()));
}

/** The services trusted by the roles a policy is attached to (`Roles: [{ Ref }]`). */
function trustedServices(template: CfnTemplate, policy: CfnResource): string[] {
  const roles = (policy.Properties?.Roles ?? []) as { Ref?: string }[];
  return roles.flatMap((ref) => {
    const role = ref.Ref === undefined ? undefined : template.Resources[ref.Ref];
    const statements = (role?.Properties?.AssumeRolePolicyDocument?.Statement ?? []) as {
      Principal?: { Service?: string | string[] };
    }[];
    return statements.flatMap((s) => [s.Principal?.Service ?? []].flat());
  });
}
