/** The steps of the slot picker: big, one-tap choices that suit a phone and a shaky hand. */
import type { TBookablePractitioner, TFreeSlot, TVisitType } from '@careline/contracts';
import { Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_CHOICES, languageName, modeLabel } from './labels';
import { useVisitFormat } from './visit-time';
import { zonedParts } from './zoned-time';

export function ChoiceButton({ selected, onClick, children, testId }: { readonly selected: boolean; readonly onClick: () => void; readonly children: React.ReactNode; readonly testId?: string }) {
  return (
    <Button variant={selected ? 'filled' : 'default'} size="lg" fullWidth h="auto" py="sm" justify="flex-start" onClick={onClick} aria-pressed={selected} data-testid={testId} styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}>
      {children}
    </Button>
  );
}

export function ClinicianStep({ practitioners, value, onChoose }: { readonly practitioners: readonly TBookablePractitioner[]; readonly value: string | undefined; readonly onChoose: (p: TBookablePractitioner) => void }) {
  const { t } = useTranslation();
  if (practitioners.length === 0) return <Text>{t('scheduling.picker.noClinicians')}</Text>;
  return (
    <Stack gap="sm" role="list">
      {practitioners.map((p) => (
        <div role="listitem" key={p.reference}>
          <ChoiceButton selected={value === p.reference} onClick={() => onChoose(p)}>
            <Stack gap={2}>
              <span>{p.displayName}</span>
              {p.onCareTeam ? (
                <Text component="span" size="sm" fw={700}>
                  {t('scheduling.picker.careTeam')}
                </Text>
              ) : null}
            </Stack>
          </ChoiceButton>
        </div>
      ))}
    </Stack>
  );
}

export function VisitTypeStep({ types, value, onChoose }: { readonly types: readonly TVisitType[]; readonly value: string | undefined; readonly onChoose: (v: TVisitType) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" role="list">
      {types.map((v) => (
        <div role="listitem" key={v.code}>
          <ChoiceButton selected={value === v.code} onClick={() => onChoose(v)}>
            <Stack gap={2}>
              <span>{v.display}</span>
              <Text component="span" size="sm">
                {modeLabel(t, v.mode)} · {t('scheduling.picker.duration', { minutes: v.durationMinutes })}
              </Text>
            </Stack>
          </ChoiceButton>
        </div>
      ))}
    </Stack>
  );
}

export function DayStep({ days, value, onChoose }: { readonly days: ReadonlyMap<string, readonly TFreeSlot[]>; readonly value: string | undefined; readonly onChoose: (day: string) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" role="list">
      {[...days.entries()].map(([day, slots]) => (
        <div role="listitem" key={day}>
          <ChoiceButton selected={value === day} onClick={() => onChoose(day)} testId={`day-${day}`}>
            <Stack gap={2}>
              <span>{format.calendarDate(day)}</span>
              <Text component="span" size="sm">
                {t('scheduling.picker.slotsCount', { count: slots.length })}
              </Text>
            </Stack>
          </ChoiceButton>
        </div>
      ))}
    </SimpleGrid>
  );
}

type Period = 'morning' | 'afternoon' | 'evening';
function periodOf(slot: TFreeSlot, zone: string): Period {
  const h = zonedParts(new Date(slot.start), zone).hour;
  return h < 12 ? 'morning' : h < 17 ? 'afternoon' : 'evening';
}

/** Free times of one day as big buttons, grouped into morning / afternoon / evening (each a labelled group). */
export function TimeStep({ slots, value, onChoose }: { readonly slots: readonly TFreeSlot[]; readonly value: string | undefined; readonly onChoose: (slot: TFreeSlot) => void }) {
  const { t } = useTranslation();
  const format = useVisitFormat();
  const periods: Period[] = ['morning', 'afternoon', 'evening'];
  return (
    <Stack gap="md">
      {periods.map((period) => {
        const list = slots.filter((s) => periodOf(s, format.viewerZone) === period);
        if (list.length === 0) return null;
        const id = `period-${period}`;
        return (
          <section key={period} aria-labelledby={id}>
            <Title order={3} fz="h5" id={id} mb="xs">
              {t(`scheduling.picker.${period}`)}
            </Title>
            <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="sm">
              {list.map((s) => (
                <Button key={s.start} size="lg" variant={value === s.start ? 'filled' : 'default'} aria-pressed={value === s.start} onClick={() => onChoose(s)} data-testid="slot">
                  {format.time(s.start)}
                </Button>
              ))}
            </SimpleGrid>
          </section>
        );
      })}
    </Stack>
  );
}

export interface VisitDetails {
  readonly reason: string;
  readonly language: string;
  readonly interpreterNeeded: boolean;
}

export function DetailsStep({ value, onChange }: { readonly value: VisitDetails; readonly onChange: (v: VisitDetails) => void }) {
  const { t, i18n } = useTranslation();
  const choices = LANGUAGE_CHOICES.includes(value.language as (typeof LANGUAGE_CHOICES)[number]) ? [...LANGUAGE_CHOICES] : [value.language, ...LANGUAGE_CHOICES];
  return (
    <Stack gap="md">
      <Textarea
        label={t('scheduling.picker.reason')}
        description={t('scheduling.picker.reasonHelp')}
        value={value.reason}
        maxLength={500}
        autosize
        minRows={2}
        size="md"
        onChange={(e) => onChange({ ...value, reason: e.currentTarget.value })}
      />
      <NativeSelect
        label={t('scheduling.picker.language')}
        size="md"
        value={value.language}
        data={choices.map((tag) => ({ value: tag, label: languageName(i18n.language, tag) }))}
        onChange={(e) => onChange({ ...value, language: e.currentTarget.value })}
      />
      <Checkbox
        size="md"
        label={t('scheduling.picker.interpreter')}
        description={t('scheduling.picker.interpreterHelp')}
        checked={value.interpreterNeeded}
        onChange={(e) => onChange({ ...value, interpreterNeeded: e.currentTarget.checked })}
      />
    </Stack>
  );
}

/** A definition list of what is about to be booked (or was booked). */
export function Summary({ rows }: { readonly rows: readonly (readonly [string, string])[] }) {
  return (
    <Stack component="dl" gap="xs" m={0}>
      {rows.map(([label, val]) => (
        <Group key={label} gap="xs" wrap="wrap" align="baseline">
          <Text component="dt" fw={700}>
            {label}:
          </Text>
          <Text component="dd" m={0}>
            {val}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
