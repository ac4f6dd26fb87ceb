/**
 * Is `version` a launch template version number ("7")? `$Latest` and `$Default` move under a
 * refresh, so neither can be the target of an update or the version a rollback returns to.
 */
export const isExplicitVersion = (version: string): boolean => /^\d+$/.test(version);
