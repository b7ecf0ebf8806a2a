import type { MessageKey } from '../../../i18n/keys';
import type { MediaErrorReason } from '../managers/local-media';
import type { LocalSlot } from '../managers/peer-mesh';

/** The sentence for a capture failure, by device and reason. */
export function mediaErrorKey(slot: LocalSlot, reason: MediaErrorReason): MessageKey {
  if (reason === 'busy') return 'visit.check.busy';
  if (reason === 'other' || slot === 'screen') return 'visit.check.otherMedia';
  if (slot === 'audio') return reason === 'denied' ? 'visit.check.deniedAudio' : 'visit.check.missingAudio';
  return reason === 'denied' ? 'visit.check.deniedVideo' : 'visit.check.missingVideo';
}
