/**
 * The step-by-step slot picker shared by patients (book, reschedule, follow-up tasks) and staff (book
 * for a patient): clinician → visit type → day → time → details → confirm. One question per screen,
 * focus moves to each step's heading, Back always works, and a slot taken meanwhile (409
 * slot-unavailable) reloads the free times with a plain message instead of failing.
 */
import { ZBookAppointmentRequest, type TAppointment, type TBookablePractitioner, type TFreeSlot, type TVisitType } from '@careline/contracts';
import { Alert, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookablePractitioners, bookAppointment, freeSlots, rescheduleAppointment, schedulingKeys, visitTypes } from '../../api/scheduling-api';
import { ErrorAlert } from '../../ui/page';
import { byStartDate } from './calendar-layout';
import { isSlotTaken, languageName, modeLabel, schedulingError } from './labels';
import { ClinicianStep, DayStep, DetailsStep, Summary, TimeStep, VisitTypeStep, type VisitDetails } from './picker-steps';
import { useVisitFormat } from './visit-time';

type StepId = 'clinician' | 'type' | 'day' | 'time' | 'details' | 'confirm';
const DAYS_PER_PAGE = 14;

export interface PickerProps {
  /** Staff booking for a patient ("Patient/<id>"); absent when patients book for themselves. */
  readonly patient?: { readonly reference: string; readonly name: string };
  /** Moving an existing appointment: clinician and visit type stay, only the time changes. */
  readonly reschedule?: TAppointment;
  /** A follow-up task: the clinician and type asked for, and the dates to look in. */
  readonly preset?: { readonly practitioner: string; readonly visitType: string; readonly from?: string; readonly to?: string };
  readonly onDone: (appointment: TAppointment) => void;
}

export function SlotPicker({ patient, reschedule, preset, onDone }: PickerProps) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  const queryClient = useQueryClient();
  const steps: StepId[] = reschedule ? ['day', 'time', 'confirm'] : preset ? ['day', 'time', 'details', 'confirm'] : ['clinician', 'type', 'day', 'time', 'details', 'confirm'];
  const [stepIndex, setStepIndex] = useState(0);
  const step = steps[stepIndex] ?? 'clinician';
  const [practitioner, setPractitioner] = useState<string | undefined>(reschedule?.practitioner.reference ?? preset?.practitioner);
  const [visitType, setVisitType] = useState<string | undefined>(reschedule?.visitType.code ?? preset?.visitType);
  const [day, setDay] = useState<string>();
  const [slot, setSlot] = useState<TFreeSlot>();
  const [details, setDetails] = useState<VisitDetails>({ reason: '', language: i18n.language, interpreterNeeded: false });
  const [page, setPage] = useState(0);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const types = useQuery({ queryKey: schedulingKeys.visitTypes, queryFn: ({ signal }) => visitTypes(signal), staleTime: 300_000 });
  const people = useQuery({ queryKey: schedulingKeys.practitioners(patient?.reference), queryFn: ({ signal }) => bookablePractitioners(patient?.reference, signal), staleTime: 60_000 });
  const clinician: TBookablePractitioner | undefined = people.data?.find((p) => p.reference === practitioner);
  const type: TVisitType | undefined = reschedule?.visitType ?? types.data?.visitTypes.find((v) => v.code === visitType);

  const range = useMemo(() => {
    const now = Date.now();
    const horizon = types.data ? now + types.data.rules.maxHorizonDays * 86_400_000 : Infinity;
    const floor = Math.max(now, preset?.from ? Date.parse(`${preset.from}T00:00:00Z`) - 86_400_000 : now);
    const from = floor + page * DAYS_PER_PAGE * 86_400_000;
    const ceiling = preset?.to ? Date.parse(`${preset.to}T23:59:59Z`) + 86_400_000 : Infinity;
    const to = Math.min(from + DAYS_PER_PAGE * 86_400_000, horizon, ceiling);
    return { from: new Date(from).toISOString(), to: new Date(Math.max(to, from + 3_600_000)).toISOString(), more: to < Math.min(horizon, ceiling) };
  }, [page, types.data, preset?.from, preset?.to]);

  const slotsEnabled = Boolean(practitioner && visitType) && (step === 'day' || step === 'time' || step === 'confirm');
  const slots = useQuery({
    queryKey: schedulingKeys.slots(practitioner ?? '', visitType ?? '', range.from, range.to),
    queryFn: ({ signal }) => freeSlots({ practitioner: practitioner ?? '', visitType: visitType ?? '', from: range.from, to: range.to }, signal),
    enabled: slotsEnabled,
    staleTime: 30_000,
  });
  const days = useMemo(() => byStartDate(slots.data?.slots ?? [], format.viewerZone), [slots.data, format.viewerZone]);

  // Each step is a new screen: say so to screen readers and keyboard users by moving focus to its heading.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [stepIndex]);

  const go = (id: StepId) => {
    setError(undefined);
    setStepIndex(Math.max(0, steps.indexOf(id)));
  };
  const next = () => {
    setError(undefined);
    setStepIndex((i) => Math.min(steps.length - 1, i + 1));
  };
  const back = () => {
    setError(undefined);
    setNotice(undefined);
    setStepIndex((i) => Math.max(0, i - 1));
  };

  const confirm = async () => {
    if (!slot || !practitioner || !visitType) return;
    setBusy(true);
    setError(undefined);
    try {
      let result: TAppointment;
      if (reschedule) result = await rescheduleAppointment(reschedule.id, slot.start);
      else {
        // The same zod contract the server validates with; a failure here is a bug, not the user's.
        const body = ZBookAppointmentRequest.parse({
          ...(patient ? { patient: patient.reference } : {}),
          practitioner,
          visitType,
          start: slot.start,
          ...(details.reason.trim() ? { reason: details.reason.trim() } : {}),
          preferredLanguage: details.language,
          interpreterNeeded: details.interpreterNeeded,
        });
        result = await bookAppointment(body);
      }
      await queryClient.invalidateQueries({ queryKey: schedulingKeys.all });
      onDone(result);
    } catch (err) {
      if (isSlotTaken(err)) {
        setSlot(undefined);
        await queryClient.invalidateQueries({ queryKey: ['scheduling', 'slots'] });
        setNotice(t('scheduling.picker.taken'));
        go('time');
      } else setError(schedulingError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const titles: Record<StepId, string> = {
    clinician: t('scheduling.picker.clinician'),
    type: t('scheduling.picker.visitType'),
    day: t('scheduling.picker.day'),
    time: t('scheduling.picker.time', { day: day ? format.calendarDate(day) : '' }),
    details: t('scheduling.picker.details'),
    confirm: t('scheduling.picker.confirm'),
  };

  let body: React.ReactNode;
  if (step === 'clinician') {
    body = people.isPending ? <Skeleton height={120} aria-hidden /> : people.isError ? <ErrorAlert message={schedulingError(t, people.error)} /> : (
      <ClinicianStep practitioners={people.data} value={practitioner} onChoose={(p) => { setPractitioner(p.reference); setDay(undefined); setSlot(undefined); next(); }} />
    );
  } else if (step === 'type') {
    body = types.isPending ? <Skeleton height={120} aria-hidden /> : types.isError ? <ErrorAlert message={schedulingError(t, types.error)} /> : (
      <VisitTypeStep types={types.data.visitTypes} value={visitType} onChoose={(v) => { setVisitType(v.code); setDay(undefined); setSlot(undefined); next(); }} />
    );
  } else if (step === 'day') {
    body = (
      <Stack gap="sm">
        {slots.isPending ? <Text role="status">{t('scheduling.picker.loading')}</Text> : null}
        {slots.isError ? <ErrorAlert message={schedulingError(t, slots.error)} /> : null}
        {slots.isSuccess && days.size === 0 ? <Text>{t('scheduling.picker.noDays', { days: DAYS_PER_PAGE })}</Text> : null}
        {slots.isSuccess ? <DayStep days={days} value={day} onChoose={(d) => { setDay(d); setSlot(undefined); next(); }} /> : null}
        <Group gap="sm">
          {page > 0 ? <Button variant="subtle" onClick={() => setPage((p) => p - 1)}>{t('scheduling.picker.earlierDays')}</Button> : null}
          {range.more ? <Button variant="light" onClick={() => setPage((p) => p + 1)}>{t('scheduling.picker.moreDays')}</Button> : null}
        </Group>
      </Stack>
    );
  } else if (step === 'time') {
    const daySlots = day ? (days.get(day) ?? []) : [];
    body = slots.isPending ? <Text role="status">{t('scheduling.picker.loading')}</Text> : daySlots.length === 0 ? (
      <Stack gap="sm">
        <Text>{t('scheduling.picker.noDays', { days: DAYS_PER_PAGE })}</Text>
        <Button variant="light" onClick={() => go('day')}>{t('scheduling.picker.day')}</Button>
      </Stack>
    ) : (
      <TimeStep slots={daySlots} value={slot?.start} onChoose={(s) => { setSlot(s); setNotice(undefined); next(); }} />
    );
  } else if (step === 'details') {
    body = (
      <Stack gap="md">
        <DetailsStep value={details} onChange={setDetails} />
        <Button size="lg" onClick={next}>{t('scheduling.picker.next')}</Button>
      </Stack>
    );
  } else {
    const rows: [string, string][] = [];
    if (patient) rows.push([t('scheduling.picker.summaryPatient'), patient.name]);
    rows.push([t('scheduling.picker.summaryClinician'), clinician?.displayName ?? reschedule?.practitioner.display ?? '']);
    if (type) rows.push([t('scheduling.picker.summaryType'), `${type.display} · ${modeLabel(t, type.mode)} · ${t('scheduling.picker.duration', { minutes: type.durationMinutes })}`]);
    if (slot) rows.push([t('scheduling.picker.summaryWhen'), `${format.day(slot.start)}, ${format.timeRange(slot.start, slot.end)}`]);
    if (!reschedule) {
      if (details.reason.trim()) rows.push([t('scheduling.picker.summaryReason'), details.reason.trim()]);
      rows.push([t('scheduling.picker.summaryLanguage'), languageName(i18n.language, details.language)]);
      rows.push([t('scheduling.picker.summaryInterpreter'), details.interpreterNeeded ? t('scheduling.picker.yes') : t('scheduling.picker.no')]);
    }
    body = (
      <Stack gap="md">
        <Summary rows={rows} />
        <Button size="lg" onClick={() => void confirm()} loading={busy} disabled={!slot}>
          {reschedule ? t('scheduling.picker.confirmReschedule') : t('scheduling.picker.confirmBook')}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="md" maw={720}>
      <Text size="sm" c="dimmed">
        {t('scheduling.picker.step', { n: stepIndex + 1, total: steps.length })}
      </Text>
      <Title order={2} fz="h3" ref={heading} tabIndex={-1} className="main-region">
        {titles[step]}
      </Title>
      {notice ? (
        <Alert color="yellow" variant="light" role="alert">
          {notice}
        </Alert>
      ) : null}
      <ErrorAlert message={error} />
      {step === 'day' || step === 'time' ? <Text size="sm">{t('scheduling.when.yourZone', { zone: format.zoneName(format.viewerZone) })}</Text> : null}
      {body}
      {stepIndex > 0 ? (
        <Group>
          <Button variant="default" size="md" onClick={back}>
            {t('scheduling.picker.back')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
