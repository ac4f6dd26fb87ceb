/**
 * How often the scheduled-maintenance scan runs, in hours: its schedule's rate
 * (`maintenanceScan`), and what the scan counts on when it leaves a deferred request to the next
 * run (`findScheduledMaintenance`).
 */
export const MAINTENANCE_SCAN_INTERVAL_HOURS = 24;
