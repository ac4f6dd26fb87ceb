/** The state of users' CloudWatch alarms, watched while a refresh runs. */
export interface AlarmStates {
  /**
   * The names among `alarmNames` (metric or composite alarms) that are in ALARM now; alarms that do
   * not exist are not in ALARM. Empty input gives an empty result without a call.
   * @throws TransientDependencyError when CloudWatch may answer later.
   */
  alarmsInAlarm(alarmNames: readonly string[]): Promise<string[]>;

  /**
   * The names among `alarmNames` that are no metric or composite alarm of this account and region
   * (a watched alarm that does not exist would never stop a refresh). Empty input gives an empty
   * result without a call.
   * @throws TransientDependencyError when CloudWatch may answer later.
   */
  unknownAlarms(alarmNames: readonly string[]): Promise<string[]>;
}
