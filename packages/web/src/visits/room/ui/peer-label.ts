import type { TMediaState, TPeer } from '@careline/contracts';
import type { TFunction } from 'i18next';

/** "Clinician", "Host", or a guest's role as the inviting clinician wrote it ("Interpreter"). */
export function kindLabel(t: TFunction, peer: TPeer): string {
  if (peer.kind === 'guest' && peer.role) return peer.role;
  return peer.host ? t('visit.room.kind.host') : t(`visit.room.kind.${peer.kind}`);
}

export function mediaStatus(t: TFunction, state: TMediaState | undefined): string | undefined {
  if (!state) return undefined;
  const parts: string[] = [];
  if (!state.audio) parts.push(t('visit.room.muted'));
  if (!state.video) parts.push(t('visit.room.cameraOff'));
  return parts.length ? parts.join(' · ') : undefined;
}
