/**
 * /visit/join#t=<token> — the page a patient or guest opens from their link (no account needed).
 *
 * For the e2e tests (helper F), the page root `[data-testid="visit-page"]` carries:
 *   data-phase             joining | check | connecting | waiting | admitted | ended | left | error
 *   data-peer-connections  RTCPeerConnections of the visit alive now (PeerMesh.size). It is 0 in the
 *                          waiting room: the mesh is created only on the server's 'admitted' message.
 *                          (The pre-call network check uses two loopback RTCPeerConnections of its own,
 *                          closed when the user presses "Join visit"; they are not counted here. A test
 *                          wrapping window.RTCPeerConnection should start counting once
 *                          [data-testid="waiting-indicator"] is visible.)
 *   data-received-types    the distinct server message types received so far, space-separated
 *                          (e.g. "hello lobby-message pong"); for every frame, use playwright's
 *                          page.on('websocket') → ws.on('framereceived').
 *   data-connection        connecting | open | reconnecting | closed (the signaling socket)
 * Nothing is exposed on window.
 */
import { useCallback, useEffect, useState } from 'react';
import { joinWithToken } from '../../api/visit-api';
import { useMe } from '../../auth/session';
import { Loading } from '../../app/loading';
import { readJoinToken, withoutToken } from './logic/join-token';
import { JoinErrorPage } from './ui/join-error-view';
import { VisitFlow } from './ui/visit-flow';

/** Reads the token once, then takes it out of the address bar (and so out of history and bookmarks). */
function useTokenFromFragment(): string | undefined {
  const [token] = useState(() => readJoinToken(location.hash));
  useEffect(() => {
    if (location.hash) history.replaceState(history.state, '', withoutToken(location.pathname, location.search, location.hash));
  }, []);
  return token;
}

export default function JoinLinkPage() {
  const token = useTokenFromFragment();
  // A signed-in user's CSRF token arrives with /auth/me; the join call must wait for it (cookies are sent).
  const me = useMe();
  const join = useCallback((signal: AbortSignal) => joinWithToken(token ?? '', signal), [token]);
  if (!token) return <JoinErrorPage error={{ kind: 'no-token' }} />;
  if (me.isPending) return <Loading />;
  return <VisitFlow join={join} portalLink wide />;
}
