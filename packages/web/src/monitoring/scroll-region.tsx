import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A wide data table on a narrow screen: it scrolls sideways inside a named region that takes
 * keyboard focus, so keyboard users can scroll it too (WCAG 2.1.1; axe scrollable-region-focusable).
 */
export function ScrollRegion({ label, minWidth, children }: { readonly label: string; readonly minWidth: number; readonly children: ReactNode }) {
  return (
    <Box role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}
