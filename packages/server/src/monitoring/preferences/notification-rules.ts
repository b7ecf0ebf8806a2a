import { PROGRAMS } from '../use-cases/enroll-patient.types.js';
import type { PreferenceRow } from '../storage/preference-repository.js';
import { DEFAULT_PREFERENCES, SEVERITIES, type AlertPreferences, type AlertSeverity } from './alert-preferences.types.js';

/**
 * Who is told about an alert, by which channel, under per-clinician preferences. Pure: the alert
 * engine and the escalation job pass in the care team and the stored rows.
 */

/** The program an alert belongs to: conditions are `<program>:<rule>` (alert-engine, missed-readings sweep). */
export function programOf(condition: string): string {
  const colon = condition.indexOf(':');
  return colon < 0 ? condition : condition.slice(0, colon);
}

/** The wire view of a stored row (or of no row: the defaults), lists in canonical order. */
export function preferencesOf(row: PreferenceRow | undefined): AlertPreferences {
  if (!row) return DEFAULT_PREFERENCES;
  return {
    programs: PROGRAMS.filter((p) => !row.muted_programs.includes(p)),
    severities: SEVERITIES.filter((s) => !row.muted_severities.includes(s)),
    escalationEmail: row.escalation_email,
  };
}

/** The row to store: what is NOT received, so programs added later reach everyone by default. */
export function rowOf(practitioner: string, prefs: AlertPreferences): PreferenceRow {
  return {
    practitioner,
    muted_programs: PROGRAMS.filter((p) => !prefs.programs.includes(p)),
    muted_severities: SEVERITIES.filter((s) => !prefs.severities.includes(s)),
    escalation_email: prefs.escalationEmail,
  };
}

const byPractitioner = (rows: readonly PreferenceRow[]): Map<string, PreferenceRow> => new Map(rows.map((r) => [r.practitioner, r]));

/**
 * The care-team members whose realtime topic gets this alert. Opting out silences only the live
 * push: the alert is still raised and stays in every member's queue.
 */
export function liveRecipients(team: readonly string[], rows: readonly PreferenceRow[], condition: string, severity: AlertSeverity): string[] {
  const prefs = byPractitioner(rows);
  const program = programOf(condition);
  return team.filter((p) => {
    const row = prefs.get(p);
    return !row || (!row.muted_programs.includes(program) && !row.muted_severities.includes(severity));
  });
}

/**
 * The care-team members to mail about an unacknowledged alert: those who kept escalation mail on;
 * when every member turned it off, the team's first member anyway: an alert must never reach
 * nobody. "First" is by reference order (the care-team lookup does not keep participant order), so
 * it is the same member every time. The caller walks `fallback` in that order if the chosen have
 * no address.
 */
export function escalationRecipients(team: readonly string[], rows: readonly PreferenceRow[]): { chosen: string[]; fallback: string[] } {
  const prefs = byPractitioner(rows);
  const fallback = [...new Set(team)].sort();
  const chosen = fallback.filter((p) => prefs.get(p)?.escalation_email !== false);
  return { chosen: chosen.length > 0 ? chosen : fallback.slice(0, 1), fallback };
}
