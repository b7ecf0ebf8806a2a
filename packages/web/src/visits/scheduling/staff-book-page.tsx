/** /console/book: front desk and clinicians book for a patient — find them by name (FHIR Patient search), then the slot picker. */
import type { TAppointment } from '@careline/contracts';
import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fhirSearch } from '../../api/fhir-api';
import { humanName, text } from '../../api/fhir-display';
import { ErrorAlert, Page } from '../../ui/page';
import { Booked } from './book-page';
import { schedulingError } from './labels';
import { SlotPicker } from './slot-picker';
import { useVisitFormat } from './visit-time';

interface ChosenPatient {
  readonly reference: string;
  readonly name: string;
}

export default function StaffBookPage() {
  const { t } = useTranslation();
  const [patient, setPatient] = useState<ChosenPatient>();
  const [booked, setBooked] = useState<TAppointment>();
  const [round, setRound] = useState(0);
  if (booked) return <Booked appointment={booked} rescheduled={false} staff onAnother={() => { setBooked(undefined); setPatient(undefined); setRound((r) => r + 1); }} />;
  return (
    <Page title={t('scheduling.titles.bookFor')}>
      {patient ? (
        <Stack gap="md">
          <Group gap="sm">
            <Text fw={700} data-testid="booking-for">
              {t('scheduling.bookFor.for', { name: patient.name })}
            </Text>
            <Button variant="subtle" onClick={() => setPatient(undefined)}>
              {t('scheduling.bookFor.change')}
            </Button>
          </Group>
          <SlotPicker key={`${patient.reference}-${round}`} patient={patient} onDone={setBooked} />
        </Stack>
      ) : (
        <PatientSearch onChoose={setPatient} />
      )}
    </Page>
  );
}

function PatientSearch({ onChoose }: { readonly onChoose: (p: ChosenPatient) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const [input, setInput] = useState('');
  const [term, setTerm] = useState('');
  const results = useQuery({
    queryKey: ['fhir', 'Patient', 'name', term],
    queryFn: ({ signal }) => fhirSearch('Patient', { name: term, _count: '10', _sort: 'family' }, signal),
    enabled: term.length > 0,
    retry: false,
  });
  return (
    <section aria-labelledby="patient-search-heading">
      <Stack gap="sm">
        <Text component="h2" id="patient-search-heading" fw={700} fz="h3" m={0}>
          {t('scheduling.bookFor.search')}
        </Text>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setTerm(input.trim());
          }}
        >
          <Group gap="sm" align="flex-end">
            <TextInput label={t('scheduling.bookFor.searchLabel')} value={input} onChange={(e) => setInput(e.currentTarget.value)} autoComplete="off" name="patient-name" />
            <Button type="submit">{t('scheduling.bookFor.searchButton')}</Button>
          </Group>
        </form>
        {results.isError ? <ErrorAlert message={schedulingError(t, results.error)} /> : null}
        <div role="status" aria-live="polite">
          {results.isSuccess && results.data.resources.length === 0 ? <Text>{t('scheduling.bookFor.noResults')}</Text> : null}
        </div>
        {results.isSuccess && results.data.resources.length > 0 ? (
          <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} data-testid="patient-results">
            {results.data.resources.map((r) => {
              const name = humanName(r) ?? r.id ?? '';
              const born = text(r, ['birthDate']);
              return (
                <Paper component="li" key={r.id} withBorder p="sm">
                  <Group justify="space-between" gap="xs">
                    <Text>
                      {name}
                      {born ? ` · ${t('scheduling.bookFor.born', { date: format.calendarDate(born, 'plain') })}` : ''}
                    </Text>
                    <Button variant="light" onClick={() => onChoose({ reference: `Patient/${r.id ?? ''}`, name })}>
                      {t('scheduling.bookFor.choose', { name })}
                    </Button>
                  </Group>
                </Paper>
              );
            })}
          </Stack>
        ) : null}
      </Stack>
    </section>
  );
}
