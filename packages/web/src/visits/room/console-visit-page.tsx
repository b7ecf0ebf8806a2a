/**
 * /console/visits/:appointmentId — the clinician (host) or telepresenter joins; the host admits from
 * the lobby, writes the note beside the video and invites guests. Inspection attributes: see join-link-page.tsx.
 */
import { useCallback } from 'react';
import { useParams } from 'react-router';
import { joinAsMember } from '../../api/visit-api';
import { JoinErrorPage } from './ui/join-error-view';
import { VisitFlow } from './ui/visit-flow';

export default function ConsoleVisitPage() {
  const { appointmentId } = useParams();
  const join = useCallback((signal: AbortSignal) => joinAsMember(appointmentId ?? '', signal), [appointmentId]);
  if (!appointmentId) return <JoinErrorPage error={{ kind: 'not-found' }} />;
  return <VisitFlow join={join} />;
}
