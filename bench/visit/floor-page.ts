/**
 * The floor's browser side, served by floor-server.ts at `/?room=NAME`. It exposes `window.floor`:
 *   prepare()            camera + microphone (fake devices in tests), shown in #local
 *   join(rtcConfig)      opens the signaling socket and the peer connection; resolves with Date.now() at join
 *   firstFrame()         resolves with Date.now() when getStats first shows framesDecoded > 0 (video)
 *   stats()              frames decoded, the selected candidate pair's types, local candidate types, ICE errors
 *   gather(rtcConfig)    ICE gathering only (no peer): candidate types and icecandidateerror codes
 * Plain JavaScript in a string: the e2e and bench type-checks have no DOM library.
 */
export const FLOOR_SCRIPT = String.raw`
(() => {
  const room = new URLSearchParams(location.search).get('room') || 'default';
  const state = { joinedAt: 0, firstFrameAt: 0, errors: [], localTypes: [], received: [] };
  let pc;
  let ws;
  let local;
  let frameWaiters = [];

  function send(data) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(data));
  }

  async function describe() {
    await pc.setLocalDescription();
    send({ kind: 'description', description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
  }

  async function inboundVideoFrames(conn) {
    const report = await conn.getStats();
    let frames = 0;
    report.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
    return frames;
  }

  // Polls every 10 ms: fine-grained enough for a figure in tens of milliseconds, cheap for one connection.
  function watchFrames() {
    const timer = setInterval(async () => {
      if (!pc || state.firstFrameAt) return;
      if ((await inboundVideoFrames(pc)) > 0 && !state.firstFrameAt) {
        state.firstFrameAt = Date.now();
        clearInterval(timer);
        for (const w of frameWaiters) w(state.firstFrameAt);
        frameWaiters = [];
      }
    }, 10);
  }

  async function prepare() {
    local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360, frameRate: 30 } });
    document.getElementById('local').srcObject = local;
    return local.getTracks().map((t) => t.kind);
  }

  function join(config) {
    state.joinedAt = Date.now();
    pc = new RTCPeerConnection(config);
    for (const track of local.getTracks()) pc.addTrack(track, local);
    pc.ontrack = (e) => { document.getElementById('remote').srcObject = e.streams[0]; };
    pc.onicecandidate = (e) => {
      if (!e.candidate) return;
      state.localTypes.push(e.candidate.type);
      send({ kind: 'candidate', candidate: e.candidate.toJSON() });
    };
    pc.onicecandidateerror = (e) => state.errors.push({ code: e.errorCode, text: e.errorText, url: e.url });
    ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/signal?room=' + encodeURIComponent(room));
    // One message at a time: a candidate must not be applied while the offer before it is still being set.
    let queue = Promise.resolve();
    const handle = async (msg) => {
      state.received.push(msg.type);
      if (msg.type === 'peer' && msg.offer) await describe();
      if (msg.type !== 'signal') return;
      const d = msg.data;
      if (d.kind === 'description') {
        await pc.setRemoteDescription(d.description);
        if (d.description.type === 'offer') await describe();
      } else if (d.kind === 'candidate' && d.candidate) {
        await pc.addIceCandidate(d.candidate);
      }
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      queue = queue.then(() => handle(msg)).catch((err) => state.errors.push({ code: 0, text: String(err), url: '' }));
    };
    watchFrames();
    return new Promise((resolve, reject) => {
      ws.onopen = () => resolve(state.joinedAt);
      ws.onerror = () => reject(new Error('signaling socket failed'));
    });
  }

  function firstFrame() {
    return state.firstFrameAt ? Promise.resolve(state.firstFrameAt) : new Promise((resolve) => frameWaiters.push(resolve));
  }

  async function selectedPair(conn) {
    const report = await conn.getStats();
    let pairId;
    report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
    const pair = pairId ? report.get(pairId) : undefined;
    if (!pair) return undefined;
    const l = report.get(pair.localCandidateId);
    const r = report.get(pair.remoteCandidateId);
    return { state: pair.state, local: l && { type: l.candidateType, address: l.address, protocol: l.protocol, relayProtocol: l.relayProtocol }, remote: r && { type: r.candidateType, address: r.address } };
  }

  async function stats() {
    return {
      framesDecoded: pc ? await inboundVideoFrames(pc) : 0,
      selected: pc ? await selectedPair(pc) : undefined,
      connectionState: pc ? pc.connectionState : 'none',
      localTypes: state.localTypes,
      errors: state.errors,
      received: state.received,
    };
  }

  function gather(config) {
    const probe = new RTCPeerConnection(config);
    const types = [];
    const errors = [];
    probe.onicecandidate = (e) => { if (e.candidate) types.push(e.candidate.type); };
    probe.onicecandidateerror = (e) => errors.push({ code: e.errorCode, text: e.errorText, url: e.url });
    probe.createDataChannel('probe');
    return new Promise((resolve) => {
      const finish = () => { probe.close(); resolve({ types, errors }); };
      probe.onicegatheringstatechange = () => { if (probe.iceGatheringState === 'complete') finish(); };
      setTimeout(finish, 15000);
      probe.setLocalDescription();
    });
  }

  function hangUp() {
    if (pc) pc.close();
    if (ws) ws.close();
    if (local) for (const t of local.getTracks()) t.stop();
  }

  window.floor = { prepare, join, firstFrame, stats, gather, hangUp };
})();
`;

export const FLOOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Careline bench: two-party WebRTC floor</title></head>
<body><video id="local" muted autoplay playsinline></video><video id="remote" muted autoplay playsinline></video>
<script>${FLOOR_SCRIPT}</script></body></html>`;
