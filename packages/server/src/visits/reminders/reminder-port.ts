/** What scheduling tells reminders (wired in scheduling-plugin.ts). */
export interface AppointmentReminders {
  /**
   * A visit was booked (generation 0) or moved (its reschedule count) to `start`: queue its reminders.
   * Reminders queued for an earlier generation are superseded when they run.
   */
  scheduled(appointmentId: string, start: Date, generation: number): Promise<void>;
  /** A visit was cancelled: queue the cancellation mail (METHOD:CANCEL). */
  cancelled(appointmentId: string): Promise<void>;
}
