import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/source-imports';

const PAGES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/**
 * Each `aws scheduler get-schedule|update-schedule|delete-schedule` command of a page, up to the end
 * of its code span or shell line (a line ending in `\` joined to the next). Not the schedule-group
 * commands (`delete-schedule-group --name`), which name the group itself.
 */
function scheduleCommands(page: string): { page: string; command: string }[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8').replace(/\\\n/g, ' ');
  return [...text.matchAll(/aws scheduler (?:get|update|delete)-schedule(?![\w-])[^`\n]*/g)].map((m) => ({
    page,
    command: m[0],
  }));
}

describe('the aws scheduler schedule commands the docs give', () => {
  const commands = PAGES.flatMap(scheduleCommands);

  it('are found (the runbook disables the scaling loop with get-schedule and update-schedule)', () => {
    const verbs = commands.map(({ command }) => command.split(' ')[2]);
    expect(verbs).toEqual(expect.arrayContaining(['get-schedule', 'update-schedule']));
  });

  it('each name the schedule group: without --group-name Scheduler looks in the default group', () => {
    // Prescale's schedules live in its own groups. UpdateSchedule, GroupName: "If you omit this
    // value, EventBridge Scheduler assumes the group is associated to the default group", where
    // the schedule is not: ResourceNotFoundException.
    const withoutGroup = commands
      .filter(({ command }) => !/(?<![\w-])--group-name \S/.test(command))
      .map(({ page, command }) => `${page}: ${command} (expected --group-name <schedule group>)`);
    expect(withoutGroup).toEqual([]);
  });
});
