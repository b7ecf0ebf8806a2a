/**
 * Day and week calendars drawn with a CSS grid (no calendar library). For screen readers each day is
 * a section (its heading names the day) holding an ordered list of its visits in time order, each a
 * button whose name says time, patient, visit type, mode and needs; the hour labels are decoration.
 * The list view (CalendarTable) shows the same visits as a table.
 */
import type { TAppointment } from '@careline/contracts';
import { Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { TFunction } from 'i18next';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { byStartDate, hourWindowFor, layoutDay, type HourWindow } from './calendar-layout';
import { languageName, modeLabel, statusLabel } from './labels';
import { useVisitFormat } from './visit-time';
import { dateIn } from './zoned-time';
import './schedule.css';

const STEP = 15;

function needs(t: TFunction, uiLanguage: string, a: TAppointment): string[] {
  const out: string[] = [];
  if (a.preferredLanguage && !uiLanguage.startsWith(a.preferredLanguage)) out.push(t('scheduling.calendar.language', { language: languageName(uiLanguage, a.preferredLanguage) }));
  if (a.interpreterNeeded) out.push(t('scheduling.calendar.interpreter'));
  return out;
}

export function CalendarGrid({ days, appointments, onOpen }: { readonly days: readonly string[]; readonly appointments: readonly TAppointment[]; readonly onOpen: (a: TAppointment) => void }) {
  // Seven columns do not fit a phone: there the week is a day-by-day agenda (WCAG 1.4.10 reflow).
  const wide = useMediaQuery('(min-width: 48em)');
  if (days.length > 1 && !wide) return <WeekAgenda days={days} appointments={appointments} onOpen={onOpen} />;
  return <TimeGrid days={days} appointments={appointments} onOpen={onOpen} />;
}

function ItemContent({ appointment: a }: { readonly appointment: TAppointment }) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  return (
    <>
      <strong>{format.timeRange(a.start, a.end)}</strong> {a.patient.display}
      <VisuallyHidden>,</VisuallyHidden>
      <br />
      {a.visitType.display} · {modeLabel(t, a.visitType.mode)}
      {a.interpreterNeeded ? <span className="sched-flag">{t('scheduling.calendar.interpreter')}</span> : null}
      {a.preferredLanguage && !i18n.language.startsWith(a.preferredLanguage) ? (
        <span className="sched-flag">
          {a.preferredLanguage.toUpperCase()}
          <VisuallyHidden> ({languageName(i18n.language, a.preferredLanguage)})</VisuallyHidden>
        </span>
      ) : null}
      {a.status !== 'booked' ? <VisuallyHidden>, {statusLabel(t, a.status)}</VisuallyHidden> : null}
    </>
  );
}

/** The week on a phone: each day a section with its visits in time order. */
function WeekAgenda({ days, appointments, onOpen }: { readonly days: readonly string[]; readonly appointments: readonly TAppointment[]; readonly onOpen: (a: TAppointment) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const byDay = byStartDate(appointments, format.viewerZone);
  const today = dateIn(new Date(), format.viewerZone);
  return (
    <div data-testid="calendar-agenda">
      {days.map((day) => {
        const list = byDay.get(day) ?? [];
        return (
          <section key={day} aria-labelledby={`agenda-${day}`} className="sched-agenda-day">
            <h3 className="sched-head" id={`agenda-${day}`} data-today={day === today}>
              {format.calendarDate(day)}
              <Text component="span" display="block" size="xs" fw={400}>
                {t('scheduling.calendar.count', { count: list.length })}
              </Text>
            </h3>
            <ol className="sched-agenda">
              {list.map((a) => (
                <li key={a.id} className="sched-item" data-status={a.status} data-mode={a.visitType.mode}>
                  <button type="button" onClick={() => onOpen(a)} data-testid="calendar-item" data-appointment={a.id}>
                    <ItemContent appointment={a} />
                  </button>
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}

function TimeGrid({ days, appointments, onOpen }: { readonly days: readonly string[]; readonly appointments: readonly TAppointment[]; readonly onOpen: (a: TAppointment) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const zone = format.viewerZone;
  const today = dateIn(new Date(), zone);
  // One window for all columns, wide enough for every visit shown.
  const window: HourWindow = days.reduce<HourWindow>((w, d) => {
    const x = hourWindowFor(appointments, d, zone, w);
    return { fromHour: Math.min(w.fromHour, x.fromHour), toHour: Math.max(w.toHour, x.toHour) };
  }, { fromHour: 8, toHour: 18 });
  const rows = ((window.toHour - window.fromHour) * 60) / STEP;
  const style = {
    '--sched-cols': days.length,
    '--sched-rows': rows,
    '--sched-row-h': '1.5rem',
    '--sched-rows-per-hour': 60 / STEP,
    '--sched-col-min': days.length > 1 ? '7.5rem' : '12rem',
  } as CSSProperties;
  const hours = Array.from({ length: window.toHour - window.fromHour }, (_, i) => window.fromHour + i);
  return (
    <div className="sched-scroll" tabIndex={days.length > 1 ? 0 : undefined} role={days.length > 1 ? 'group' : undefined} aria-label={days.length > 1 ? t('scheduling.calendar.week') : undefined} data-testid="calendar-grid">
      <div className="sched-grid" style={style}>
        <div aria-hidden="true">
          <div className="sched-head" />
          <div className="sched-times">
            {hours.map((h, i) => (
              <span key={h} className="sched-time" style={{ gridRow: `${i * (60 / STEP) + 1} / span ${60 / STEP}` }}>
                {format.hour(h)}
              </span>
            ))}
          </div>
        </div>
        {days.map((day) => {
          const layout = layoutDay(appointments, day, zone, window, STEP);
          const headId = `day-${day}`;
          return (
            <section key={day} aria-labelledby={headId} data-day={day}>
              <h3 className="sched-head" id={headId} data-today={day === today}>
                {format.calendarDate(day, days.length > 1 ? 'short' : 'long')}
                <Text component="span" display="block" size="xs" fw={400}>
                  {t('scheduling.calendar.count', { count: layout.placed.length })}
                </Text>
              </h3>
              <ol className="sched-col">
                {layout.placed.map(({ item: a, rowStart, rowEnd, lane, lanes }) => (
                  <li
                    key={a.id}
                    className="sched-item"
                    data-status={a.status}
                    data-mode={a.visitType.mode}
                    style={{ gridRow: `${rowStart} / ${rowEnd}`, marginLeft: `${(100 * lane) / lanes}%`, width: `${100 / lanes}%` }}
                  >
                    {/* No aria-label: the visible words are the name (WCAG 2.5.3), with what the eye gets from styling added for screen readers. */}
                    <button type="button" onClick={() => onOpen(a)} data-testid="calendar-item" data-appointment={a.id}>
                      <ItemContent appointment={a} />
                    </button>
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
    </div>
  );
}

/** The same visits as a table: the readable fallback for screen readers and small screens. */
export function CalendarTable({ appointments, onOpen, showClinician }: { readonly appointments: readonly TAppointment[]; readonly onOpen: (a: TAppointment) => void; readonly showClinician: boolean }) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  if (appointments.length === 0) return <Text>{t('scheduling.calendar.empty')}</Text>;
  const sorted = [...appointments].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover data-testid="calendar-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('scheduling.calendar.columnTime')}</Table.Th>
            <Table.Th scope="col">{t('scheduling.calendar.columnPatient')}</Table.Th>
            {showClinician ? <Table.Th scope="col">{t('scheduling.calendar.columnClinician')}</Table.Th> : null}
            <Table.Th scope="col">{t('scheduling.calendar.columnVisit')}</Table.Th>
            <Table.Th scope="col">{t('scheduling.calendar.columnNeeds')}</Table.Th>
            <Table.Th scope="col">{t('scheduling.calendar.columnStatus')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {format.shortDay(a.start)}, {format.timeRange(a.start, a.end)}
              </Table.Td>
              <Table.Th scope="row" fw={400}>
                <button type="button" className="link-button" onClick={() => onOpen(a)} style={{ background: 'none', border: 0, padding: 0, color: 'var(--mantine-color-brand-9)', textDecoration: 'underline', cursor: 'pointer', font: 'inherit' }}>
                  {a.patient.display}
                </button>
              </Table.Th>
              {showClinician ? <Table.Td>{a.practitioner.display}</Table.Td> : null}
              <Table.Td>
                {a.visitType.display} · {modeLabel(t, a.visitType.mode)}
              </Table.Td>
              <Table.Td>{needs(t, i18n.language, a).join(', ')}</Table.Td>
              <Table.Td>
                <Badge variant="outline" color={a.status === 'cancelled' ? 'red.9' : 'brand.9'}>
                  {statusLabel(t, a.status)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
