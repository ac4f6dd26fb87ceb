/** One Auto Scaling group launching a launch template, and the version it names. */
export interface TemplateLaunch {
  readonly groupName: string;
  /** A version number, `$Latest` or `$Default`, as the group names it. */
  readonly version: string;
}

/** Who else launches a launch template: what a new version of it would reach. */
export interface LaunchTemplateUsers {
  /**
   * Every Auto Scaling group of the region that launches `launchTemplateId`: as its launch
   * template, its mixed instances policy's, or an override's own.
   */
  groupsLaunching(launchTemplateId: string): Promise<TemplateLaunch[]>;
}
