import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// Careline teal; shade 8 on white is above 4.5:1 so buttons and links meet WCAG 2.2 AA (1.4.3).
const brand: MantineColorsTuple = ['#e3f8fb', '#d2eef2', '#a7dbe3', '#78c7d4', '#52b6c7', '#3aabbf', '#29a5bb', '#1690a4', '#0b7285', '#0b5f75'];

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: 8,
  colors: { brand },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  defaultRadius: 'md',
  focusRing: 'auto',
  respectReducedMotion: true,
  cursorType: 'pointer',
});

/**
 * Mantine's default "dimmed" grey and error red are below 4.5:1 on white: darker shades keep
 * descriptions, hints and error messages readable (WCAG 2.2 1.4.3).
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: {},
});
