/** A role an instance profile carries: what IAM authorizes `iam:PassRole` on (its ARN and tags). */
export interface InstanceRole {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A launch template's reference to an instance profile, by ARN or by name (either may be set). */
export interface InstanceProfileRef {
  readonly Arn?: string;
  readonly Name?: string;
}

/**
 * The account's roles and instance profiles, as far as Auto Scaling reads them: when a caller
 * points a group at a launch template whose instance profile carries a role, Auto Scaling asks
 * `iam:PassRole` of the caller on that role, by its ARN (not its tags: IAM does not authorize
 * PassRole by them). Prescale calls no IAM API, so this answers no command; the world's groups and
 * the request checks read it.
 */
export class SimulatedIam {
  private readonly roles = new Map<string, InstanceRole>();
  private readonly profiles = new Map<string, { readonly arn: string; readonly roleName: string }>();

  constructor(
    private readonly account: string,
    private readonly partition = 'aws',
  ) {}

  /**
   * Creates a role (`name` may carry a path, `app/web-instance`); returns its ARN.
   * @throws RangeError when it exists.
   */
  createRole(name: string, tags: Readonly<Record<string, string>> = {}): string {
    if (this.roles.has(name)) throw new RangeError(`role ${name} exists already`);
    const arn = `arn:${this.partition}:iam::${this.account}:role/${name}`;
    this.roles.set(name, { arn, tags: { ...tags } });
    return arn;
  }

  /** Replaces a role's tags (as TagRole/UntagRole would). @throws RangeError when it does not exist. */
  setRoleTags(name: string, tags: Readonly<Record<string, string>>): void {
    const role = this.roles.get(name);
    if (!role) throw new RangeError(`no role ${name}`);
    this.roles.set(name, { ...role, tags: { ...tags } });
  }

  /** Whether a role of that name (with its path) exists. */
  hasRole(name: string): boolean {
    return this.roles.has(name);
  }

  /** Creates an instance profile carrying `roleName`; returns its ARN. @throws RangeError when either is wrong. */
  createInstanceProfile(name: string, roleName: string): string {
    if (this.profiles.has(name)) throw new RangeError(`instance profile ${name} exists already`);
    if (!this.roles.has(roleName)) throw new RangeError(`no role ${roleName} for instance profile ${name}`);
    const arn = `arn:${this.partition}:iam::${this.account}:instance-profile/${name}`;
    this.profiles.set(name, { arn, roleName });
    return arn;
  }

  /** The role an instance profile carries, or undefined when no such profile exists. */
  roleOfInstanceProfile(ref: InstanceProfileRef): InstanceRole | undefined {
    const name = ref.Name ?? [...this.profiles].find(([, p]) => p.arn === ref.Arn)?.[0];
    const profile = name === undefined ? undefined : this.profiles.get(name);
    return profile ? this.roles.get(profile.roleName) : undefined;
  }
}
