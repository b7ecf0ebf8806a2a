import { Alert, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function Page({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <Stack gap="md">
      <Title order={1} fz={{ base: 'h2', sm: 'h1' }}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** An error the user must read: announced at once by screen readers (role=alert). */
export function ErrorAlert({ message }: { readonly message: string | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}

export function SuccessAlert({ children }: { readonly children: ReactNode }) {
  return (
    <Alert color="green" variant="light" role="status">
      {children}
    </Alert>
  );
}
