/** /portal/visits/:appointmentId/join — a signed-in patient or caregiver joins. Inspection attributes: see join-link-page.tsx. */
import { useCallback } from 'react';
import { useParams } from 'react-router';
import { joinAsMember } from '../../api/visit-api';
import { JoinErrorPage } from './ui/join-error-view';
import { VisitFlow } from './ui/visit-flow';

export default function PortalJoinPage() {
  const { appointmentId } = useParams();
  const join = useCallback((signal: AbortSignal) => joinAsMember(appointmentId ?? '', signal), [appointmentId]);
  if (!appointmentId) return <JoinErrorPage error={{ kind: 'not-found' }} portalLink />;
  return <VisitFlow join={join} portalLink />;
}
