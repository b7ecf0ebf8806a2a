/**
 * A visit opened from the staff calendar: who, when, needs, and the actions — open the visit room,
 * reschedule (the slot picker for the same clinician and type), cancel, attach an interpreter (the
 * link is shown once, with a copy button) and request a follow-up.
 */
import { ZFollowUpRequest, ZInviteInterpreterRequest, type TAppointment, type TGuestInvitation } from '@careline/contracts';
import { Button, CopyButton, Divider, Group, Modal, NativeSelect, NumberInput, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { inviteInterpreter, requestFollowUp, schedulingKeys } from '../../api/scheduling-api';
import { ErrorAlert, SuccessAlert } from '../../ui/page';
import { CancelDialog } from './cancel-dialog';
import { LANGUAGE_CHOICES, languageName, modeLabel, schedulingError, statusLabel } from './labels';
import { Summary } from './picker-steps';
import { SlotPicker } from './slot-picker';
import { useVisitFormat } from './visit-time';

export function AppointmentDetails({ appointment: a, onClose }: { readonly appointment: TAppointment | undefined; readonly onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'view' | 'reschedule'>('view');
  const [cancelling, setCancelling] = useState(false);
  const [done, setDone] = useState<string>();
  const close = () => {
    setMode('view');
    setDone(undefined);
    onClose();
  };
  const active = a && (a.status === 'booked' || a.status === 'arrived');
  return (
    <>
      <Modal opened={Boolean(a) && !cancelling} onClose={close} title={t('scheduling.details.title')} size="lg" closeButtonProps={{ 'aria-label': t('scheduling.details.close') }}>
        {a ? (
          mode === 'reschedule' ? (
            <SlotPicker
              reschedule={a}
              onDone={(moved) => {
                setMode('view');
                setDone(t('scheduling.details.rescheduledDone', { when: `${format.day(moved.start)}, ${format.time(moved.start)}` }));
              }}
            />
          ) : (
            <Stack gap="md" data-testid="appointment-details">
              {done ? <SuccessAlert>{done}</SuccessAlert> : null}
              <Summary
                rows={[
                  [t('scheduling.details.patient'), a.patient.display],
                  [t('scheduling.details.clinician'), a.practitioner.display],
                  [t('scheduling.details.when'), `${format.day(a.start)}, ${format.timeRange(a.start, a.end)}${format.inZone(a.start, a.timeZone) ? ` (${format.inZone(a.start, a.timeZone) ?? ''})` : ''}`],
                  [t('scheduling.details.visit'), `${a.visitType.display} · ${modeLabel(t, a.visitType.mode)} · ${statusLabel(t, a.status)}`],
                  ...(a.reason ? ([[t('scheduling.details.reason'), a.reason]] as const) : []),
                  ...(a.preferredLanguage ? ([[t('scheduling.details.language'), languageName(i18n.language, a.preferredLanguage)]] as const) : []),
                  [t('scheduling.details.interpreter'), a.interpreterNeeded ? t('scheduling.picker.yes') : t('scheduling.picker.no')],
                ]}
              />
              {active ? (
                <Group gap="sm">
                  {a.visitType.mode !== 'in-person' ? (
                    <Button component={Link} to={`/console/visits/${encodeURIComponent(a.id)}`} size="md">
                      {t('scheduling.details.openRoom')}
                    </Button>
                  ) : null}
                  <Button variant="default" size="md" onClick={() => setMode('reschedule')}>
                    {t('scheduling.details.reschedule')}
                  </Button>
                  <Button variant="default" color="red.9" size="md" onClick={() => setCancelling(true)}>
                    {t('scheduling.details.cancel')}
                  </Button>
                </Group>
              ) : null}
              {active && a.visitType.mode !== 'in-person' ? <InterpreterForm appointment={a} /> : null}
              {a.status !== 'cancelled' ? <FollowUpForm appointment={a} /> : null}
            </Stack>
          )
        ) : null}
      </Modal>
      <CancelDialog
        appointment={cancelling ? a : undefined}
        onClose={() => setCancelling(false)}
        onCancelled={() => {
          setCancelling(false);
          setDone(t('scheduling.details.cancelledDone'));
          void queryClient.invalidateQueries({ queryKey: schedulingKeys.all });
        }}
      />
    </>
  );
}

function InterpreterForm({ appointment: a }: { readonly appointment: TAppointment }) {
  const { t, i18n } = useTranslation();
  const format = useVisitFormat();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState(a.preferredLanguage ?? 'es');
  const [invalid, setInvalid] = useState(false);
  const [link, setLink] = useState<TGuestInvitation>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    const parsed = ZInviteInterpreterRequest.safeParse({ displayName: name.trim(), language });
    if (!parsed.success) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setLink(await inviteInterpreter(a.id, parsed.data));
    } catch (err) {
      setError(schedulingError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const choices = LANGUAGE_CHOICES.includes(language as (typeof LANGUAGE_CHOICES)[number]) ? [...LANGUAGE_CHOICES] : [language, ...LANGUAGE_CHOICES];
  return (
    <section aria-labelledby="interpreter-heading">
      <Divider mb="sm" />
      <Title order={3} fz="h5" id="interpreter-heading" mb="xs">
        {t('scheduling.details.interpreterTitle')}
      </Title>
      {link ? (
        <Stack gap="xs">
          <TextInput label={t('scheduling.details.interpreterLink')} value={link.url} readOnly onFocus={(e) => e.currentTarget.select()} data-testid="interpreter-link" />
          <Text size="sm">{t('scheduling.details.interpreterValid', { from: `${format.shortDay(link.validFrom)} ${format.time(link.validFrom)}`, to: `${format.shortDay(link.validUntil)} ${format.time(link.validUntil)}` })}</Text>
          <CopyButton value={link.url}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy} aria-live="polite">
                {copied ? t('scheduling.details.copied') : t('scheduling.details.copy')}
              </Button>
            )}
          </CopyButton>
        </Stack>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="xs">
            <ErrorAlert message={error} />
            <Group gap="sm" align="flex-end" wrap="wrap">
              <TextInput label={t('scheduling.details.interpreterName')} value={name} required maxLength={120} error={invalid ? t('validation.required') : undefined} onChange={(e) => { setName(e.currentTarget.value); setInvalid(false); }} />
              <NativeSelect label={t('scheduling.details.interpreterLanguage')} value={language} data={choices.map((tag) => ({ value: tag, label: languageName(i18n.language, tag) }))} onChange={(e) => setLanguage(e.currentTarget.value)} />
              <Button type="submit" variant="light" loading={busy}>
                {t('scheduling.details.interpreterInvite')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </section>
  );
}

function FollowUpForm({ appointment: a }: { readonly appointment: TAppointment }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const [value, setValue] = useState<number | string>(2);
  const [unit, setUnit] = useState<'days' | 'weeks'>('weeks');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    const parsed = ZFollowUpRequest.safeParse({ after: { value: Number(value), unit }, ...(note.trim() ? { note: note.trim() } : {}) });
    if (!parsed.success) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const r = await requestFollowUp(a.id, parsed.data);
      setDone(
        r.kind === 'task'
          ? t('scheduling.details.followUpSent', { from: format.calendarDate(r.task.dueFrom), to: format.calendarDate(r.task.dueTo) })
          : t('scheduling.details.followUpBooked', { when: `${format.day(r.appointment.start)}, ${format.time(r.appointment.start)}` }),
      );
    } catch (err) {
      setError(schedulingError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="follow-up-heading">
      <Divider mb="sm" />
      <Title order={3} fz="h5" id="follow-up-heading" mb="xs">
        {t('scheduling.details.followUpTitle')}
      </Title>
      {done ? (
        <SuccessAlert>{done}</SuccessAlert>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="xs">
            <ErrorAlert message={error} />
            <Group gap="sm" align="flex-end" wrap="wrap">
              <NumberInput label={t('scheduling.details.followUpIn')} value={value} min={1} max={104} allowDecimal={false} w={120} error={invalid ? t('validation.required') : undefined} onChange={(v) => { setValue(v); setInvalid(false); }} />
              <NativeSelect
                label={t('scheduling.details.followUpUnit')}
                value={unit}
                data={[
                  { value: 'days', label: t('scheduling.details.days') },
                  { value: 'weeks', label: t('scheduling.details.weeks') },
                ]}
                onChange={(e) => setUnit(e.currentTarget.value === 'days' ? 'days' : 'weeks')}
              />
            </Group>
            <Textarea label={t('scheduling.details.followUpNote')} value={note} maxLength={500} autosize minRows={2} onChange={(e) => setNote(e.currentTarget.value)} />
            <div>
              <Button type="submit" variant="light" loading={busy}>
                {t('scheduling.details.followUpSend')}
              </Button>
            </div>
          </Stack>
        </form>
      )}
    </section>
  );
}
