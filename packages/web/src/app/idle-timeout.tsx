import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getMe } from '../api/auth-api';
import { announcedIdleSeconds, idlePolicy, idleState, type IdleState } from './idle-policy';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function IdleTimeout({ onTimeout }: { readonly onTimeout: () => void }) {
  const { t } = useTranslation();
  const policy = useMemo(() => idlePolicy(announcedIdleSeconds()), []);
  const lastActivity = useRef(Date.now());
  const lastTouch = useRef(Date.now());
  const [state, setState] = useState<IdleState>({ kind: 'active' });
  const warning = state.kind === 'warning';
  const done = useRef(false);
  const timeout = useRef(onTimeout);
  timeout.current = onTimeout;

  useEffect(() => {
    const onActivity = () => {
      // While the warning shows, only its button counts: a stray tap must not hide it silently.
      if (idleState(policy, Date.now() - lastActivity.current).kind === 'active') lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, onActivity, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      const next = idleState(policy, now - lastActivity.current);
      if (next.kind === 'expired') {
        if (!done.current) {
          done.current = true;
          timeout.current();
        }
      } else if (next.kind === 'active' && now - lastTouch.current > policy.keepAliveMs && now - lastActivity.current < policy.keepAliveMs) {
        lastTouch.current = now;
        void getMe().catch(() => undefined);
      }
      setState((prev) => (prev.kind === next.kind && (prev.kind !== 'warning' || next.kind !== 'warning' || prev.secondsLeft === next.secondsLeft) ? prev : next));
    }, 1000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, onActivity, { capture: true });
      window.clearInterval(timer);
    };
  }, [policy]);

  const stay = () => {
    lastActivity.current = Date.now();
    lastTouch.current = Date.now();
    setState({ kind: 'active' });
    void getMe().catch(() => undefined);
  };

  return (
    <Modal opened={warning} onClose={stay} title={t('idle.title')} centered closeButtonProps={{ 'aria-label': t('idle.stay') }}>
      <Text>{t('idle.body', { seconds: state.kind === 'warning' ? state.secondsLeft : 0 })}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onTimeout}>
          {t('idle.signOut')}
        </Button>
        <Button onClick={stay} data-autofocus>
          {t('idle.stay')}
        </Button>
      </Group>
    </Modal>
  );
}
