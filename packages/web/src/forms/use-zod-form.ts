import { useState, type ChangeEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { MessageKey } from '../i18n/keys';
import { formErrorKey } from './error-keys';

type Values<S extends z.ZodObject> = { [K in keyof z.input<S>]: string };

/**
 * A small form state for zod schemas (contract schemas or form-only ones; see formErrorKey): validation runs on submit, the
 * first invalid field gets focus, and errors are shown in the user's language.
 */
export function useZodForm<S extends z.ZodObject>(schema: S, initial: Values<S>) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values<S>>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof Values<S>, MessageKey>>>({});
  const [submitting, setSubmitting] = useState(false);

  const field = <K extends keyof Values<S> & string>(name: K) => ({
    name,
    id: `field-${name}`,
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [name]: value }));
    },
    error: errors[name] ? t(errors[name]) : undefined,
  });

  const onSubmit = (handler: (data: z.output<S>) => Promise<void>) => (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const next: Partial<Record<keyof Values<S>, MessageKey>> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as keyof Values<S> | undefined;
        if (key !== undefined && next[key] === undefined) next[key] = formErrorKey(issue);
      }
      setErrors(next);
      const first = parsed.error.issues[0]?.path[0];
      if (typeof first === 'string') form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors({});
    setSubmitting(true);
    void handler(parsed.data).finally(() => setSubmitting(false));
  };

  return { values, setValues, field, onSubmit, submitting };
}
