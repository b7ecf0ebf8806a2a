/**
 * /console/availability: a clinician's weekly hours (days × time ranges) and exceptions (days off,
 * extra hours), in the time zone chosen here (the browser's by default). Clinicians edit their own;
 * front desk and admins choose any clinician of the clinic. Saved with the contract's PUT.
 */
import { ZAvailabilityInput, type TAvailability, type TAvailabilityException } from '@careline/contracts';
import { Button, Group, NativeSelect, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { availability, bookablePractitioners, saveAvailability, schedulingKeys } from '../../api/scheduling-api';
import { useMe } from '../../auth/session';
import { ErrorAlert, Page, SuccessAlert } from '../../ui/page';
import { rangeProblems, toWeeklyRules, type EditableRange } from './availability-rules';
import { schedulingError } from './labels';
import { useVisitFormat } from './visit-time';
import { browserTimeZone, isCalendarDate } from './zoned-time';

export default function AvailabilityPage() {
  const { t } = useTranslation();
  const me = useMe();
  const own = me.data?.fhirUser?.startsWith('Practitioner/') ? me.data.fhirUser : undefined;
  const [chosen, setChosen] = useState<string>();
  const people = useQuery({ queryKey: schedulingKeys.practitioners(), queryFn: ({ signal }) => bookablePractitioners(undefined, signal), staleTime: 60_000, retry: false });
  const practitioner = chosen ?? own ?? people.data?.[0]?.reference;
  const current = useQuery({ queryKey: schedulingKeys.availability(practitioner ?? ''), queryFn: ({ signal }) => availability(practitioner ?? '', signal), enabled: Boolean(practitioner) });
  const mayChoose = Boolean(me.data?.roles.some((r) => r === 'front-desk' || r === 'admin'));
  return (
    <Page title={t('scheduling.titles.availability')}>
      <Text>{t('scheduling.availability.intro')}</Text>
      {mayChoose && people.data && people.data.length > 0 ? (
        <NativeSelect label={t('scheduling.availability.clinician')} value={practitioner ?? ''} onChange={(e) => setChosen(e.currentTarget.value)} data={people.data.map((p) => ({ value: p.reference, label: p.displayName }))} maw={360} />
      ) : null}
      {current.isError ? <ErrorAlert message={schedulingError(t, current.error)} /> : null}
      {current.isPending && practitioner ? <Skeleton height={300} aria-hidden /> : null}
      {current.data && practitioner ? <Editor key={`${practitioner}:${current.data.updatedAt ?? ''}`} practitioner={practitioner} initial={current.data} /> : null}
    </Page>
  );
}

let keySeq = 0;
const newKey = () => `r${++keySeq}`;

function Editor({ practitioner, initial }: { readonly practitioner: string; readonly initial: TAvailability }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [zone, setZone] = useState(initial.scheduleId ? initial.timeZone : browserTimeZone());
  const [ranges, setRanges] = useState<EditableRange[]>(() => initial.weekly.map((w) => ({ key: newKey(), ...w })));
  const [exceptions, setExceptions] = useState<TAvailabilityException[]>(initial.exceptions);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(false);
  const problems = rangeProblems(ranges);
  const zones = timeZones(zone);
  const dayName = (w: number) => weekdayLabel(w, i18n.language);

  const update = (key: string, field: 'start' | 'end', value: string) => {
    setSaved(false);
    setRanges((rs) => rs.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  };
  const save = async (e: React.SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setShown(true);
    setSaved(false);
    if (problems.size > 0) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const parsed = ZAvailabilityInput.safeParse({ timeZone: zone, weekly: toWeeklyRules(ranges), exceptions, ...(initial.visitTypes ? { visitTypes: initial.visitTypes } : {}) });
    if (!parsed.success) {
      setError(t('scheduling.availability.invalidDate'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await saveAvailability(practitioner, parsed.data);
      queryClient.setQueryData(schedulingKeys.availability(practitioner), result);
      await queryClient.invalidateQueries({ queryKey: ['scheduling', 'slots'] });
      setSaved(true);
    } catch (err) {
      setError(schedulingError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack gap="md">
        <NativeSelect label={t('scheduling.availability.timeZone')} value={zone} onChange={(e) => { setZone(e.currentTarget.value); setSaved(false); }} data={zones} maw={360} />
        <section aria-labelledby="weekly-heading">
          <Title order={2} fz="h3" id="weekly-heading" mb="sm">
            {t('scheduling.availability.weekly')}
          </Title>
          <Stack gap="xs">
            {[1, 2, 3, 4, 5, 6, 7].map((w) => {
              const day = dayName(w);
              const mine = ranges.filter((r) => r.weekday === w);
              return (
                <Paper key={w} withBorder p="sm" component="fieldset" m={0} data-weekday={w}>
                  <Text component="legend" fw={700} px={4}>
                    {day}
                  </Text>
                  <Stack gap="xs">
                    {mine.length === 0 ? <Text size="sm">{t('scheduling.availability.noHours')}</Text> : null}
                    {mine.map((r) => {
                      const problem = shown ? problems.get(r.key) : undefined;
                      const message = problem === 'overlap' ? t('scheduling.availability.overlap') : problem ? t('scheduling.availability.invalidRange') : undefined;
                      return (
                        <Group key={r.key} gap="xs" align="flex-end" wrap="wrap">
                          <TextInput type="time" label={t('scheduling.availability.from')} value={r.start} onChange={(e) => update(r.key, 'start', e.currentTarget.value)} w={130} step={900} aria-invalid={Boolean(problem)} />
                          <TextInput type="time" label={t('scheduling.availability.to')} value={r.end === '24:00' ? '23:59' : r.end} onChange={(e) => update(r.key, 'end', e.currentTarget.value)} w={130} step={900} error={message} aria-invalid={Boolean(problem)} />
                          <Button variant="subtle" color="red.9" onClick={() => setRanges((rs) => rs.filter((x) => x.key !== r.key))} aria-label={t('scheduling.availability.removeRange', { start: r.start, end: r.end, day })}>
                            ✕
                          </Button>
                        </Group>
                      );
                    })}
                    <div>
                      <Button variant="light" size="sm" onClick={() => { setSaved(false); setRanges((rs) => [...rs, { key: newKey(), weekday: w, ...nextRange(rs.filter((x) => x.weekday === w)) }]); }}>
                        {t('scheduling.availability.addRange', { day })}
                      </Button>
                    </div>
                  </Stack>
                </Paper>
              );
            })}
          </Stack>
        </section>
        <Exceptions value={exceptions} onChange={(x) => { setSaved(false); setExceptions(x); }} />
        <ErrorAlert message={error} />
        {saved ? <SuccessAlert>{t('scheduling.availability.saved')}</SuccessAlert> : null}
        <div>
          <Button type="submit" size="md" loading={busy}>
            {t('scheduling.availability.save')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}

/** The name of an ISO weekday in a language (1 January 2024 was a Monday). */
function weekdayLabel(w: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, w)));
}

/** A sensible next range for a day: 09:00–12:00, then 13:00–17:00, then after the last one. */
function nextRange(existing: readonly EditableRange[]): { start: string; end: string } {
  if (existing.length === 0) return { start: '09:00', end: '12:00' };
  const last = [...existing].sort((a, b) => a.end.localeCompare(b.end)).at(-1)?.end ?? '12:00';
  const [h = 12] = last.split(':').map(Number);
  const start = Math.min(22, h + 1);
  return { start: `${String(start).padStart(2, '0')}:00`, end: `${String(Math.min(23, start + 4)).padStart(2, '0')}:00` };
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

function Exceptions({ value, onChange }: { readonly value: readonly TAvailabilityException[]; readonly onChange: (v: TAvailabilityException[]) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const [kind, setKind] = useState<'off' | 'extra'>('off');
  const [date, setDate] = useState('');
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('12:00');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const add = () => {
    if (!isCalendarDate(date)) return setProblem(t('scheduling.availability.invalidDate'));
    if (kind === 'extra' && !(start < end)) return setProblem(t('scheduling.availability.invalidRange'));
    setProblem(undefined);
    const n = note.trim() ? { note: note.trim() } : {};
    onChange([...value, kind === 'off' ? { kind, date, ...n } : { kind, date, start, end, ...n }].sort((a, b) => a.date.localeCompare(b.date)));
    setDate('');
    setNote('');
  };
  const what = (x: TAvailabilityException) => (x.kind === 'off' ? t('scheduling.availability.dayOff') : `${t('scheduling.availability.extraHours')} ${x.start}–${x.end}`);
  return (
    <section aria-labelledby="exceptions-heading">
      <Title order={2} fz="h3" id="exceptions-heading" mb="sm">
        {t('scheduling.availability.exceptions')}
      </Title>
      <Stack gap="xs">
        {value.length === 0 ? <Text size="sm">{t('scheduling.availability.noExceptions')}</Text> : null}
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {value.map((x, i) => (
            <Group component="li" key={`${x.date}-${i}`} gap="xs">
              <Text>
                {format.calendarDate(x.date)}: {what(x)}
                {x.note ? ` (${x.note})` : ''}
              </Text>
              <Button variant="subtle" color="red.9" size="compact-sm" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('scheduling.availability.removeException', { what: what(x), date: format.calendarDate(x.date) })}>
                ✕
              </Button>
            </Group>
          ))}
        </Stack>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <NativeSelect label={t('scheduling.availability.exceptionKind')} value={kind} onChange={(e) => setKind(e.currentTarget.value === 'extra' ? 'extra' : 'off')} data={[{ value: 'off', label: t('scheduling.availability.dayOff') }, { value: 'extra', label: t('scheduling.availability.extraHours') }]} />
          <TextInput type="date" label={t('scheduling.availability.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={problem} w={170} />
          {kind === 'extra' ? (
            <>
              <TextInput type="time" label={t('scheduling.availability.from')} value={start} onChange={(e) => setStart(e.currentTarget.value)} w={130} />
              <TextInput type="time" label={t('scheduling.availability.to')} value={end} onChange={(e) => setEnd(e.currentTarget.value)} w={130} />
            </>
          ) : null}
          <TextInput label={t('scheduling.availability.note')} value={note} maxLength={200} onChange={(e) => setNote(e.currentTarget.value)} />
          <Button variant="light" onClick={add}>
            {t('scheduling.availability.addException')}
          </Button>
        </Group>
      </Stack>
    </section>
  );
}
