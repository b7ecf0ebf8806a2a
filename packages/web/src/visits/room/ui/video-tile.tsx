import { Box, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';

/**
 * One participant's video (or a shared screen). The element is labelled for screen readers; our
 * own preview is muted (no echo) and mirrored like a mirror, as people expect to see themselves.
 */
export function VideoTile({
  stream,
  label,
  status,
  self = false,
  screen = false,
  testId,
}: {
  readonly stream: MediaStream | undefined;
  readonly label: string;
  /** e.g. "microphone off · camera off", shown under the name. */
  readonly status?: string;
  readonly self?: boolean;
  readonly screen?: boolean;
  readonly testId?: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    if (el.srcObject !== (stream ?? null)) el.srcObject = stream ?? null;
    if (stream) void el.play().catch(() => undefined);
  }, [stream]);
  return (
    <Box component="figure" className={`visit-tile${screen ? ' visit-tile-screen' : ''}`} m={0} data-testid={testId}>
      <video ref={video} autoPlay playsInline muted={self} className={self && !screen ? 'visit-video visit-mirrored' : 'visit-video'} aria-label={label} />
      <Text component="figcaption" className="visit-caption" size="sm">
        {label}
        {status ? ` · ${status}` : ''}
      </Text>
    </Box>
  );
}
