import { median, networkVerdict, type NetworkMeasurement, type NetworkVerdict } from '../logic/network-verdict';

export interface NetworkCheckResult extends NetworkMeasurement {
  readonly verdict: NetworkVerdict;
  /** The test went out through the clinic's TURN server and back (the path a call may take). */
  readonly relayed: boolean;
}

export interface NetworkCheckOptions {
  readonly iceServers: readonly RTCIceServer[];
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly signal?: AbortSignal;
  readonly createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

const CONNECT_TIMEOUT_MS = 10_000;
const PINGS = 5;
const BURST_MS = 2_000;
const BURST_MAX_BYTES = 2 * 1024 * 1024;
const CHUNK = 16 * 1024;

const hasTurn = (servers: readonly RTCIceServer[]) => servers.some((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((u) => /^turns?:/i.test(u)));

/**
 * The pre-call network check: two RTCPeerConnections in this page connected to each other. When the
 * clinic has a TURN server the pair is forced through it ('relay'), so the data goes out to the
 * server and back: the round trip (data-channel pings) and throughput (a short burst) are those of
 * the path a call would use. With STUN only, the pair connects locally and the check can only
 * confirm that WebRTC works in this browser; the numbers are then those of this device.
 */
export async function runNetworkCheck(options: NetworkCheckOptions): Promise<NetworkCheckResult> {
  const relayed = hasTurn(options.iceServers);
  const config: RTCConfiguration = { iceServers: [...options.iceServers], iceTransportPolicy: relayed ? 'relay' : options.iceTransportPolicy };
  const create = options.createPeerConnection ?? ((c: RTCConfiguration) => new RTCPeerConnection(c));
  const a = create(config);
  const b = create(config);
  const abort = () => {
    a.close();
    b.close();
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    a.onicecandidate = (e) => void b.addIceCandidate(e.candidate).catch(() => undefined);
    b.onicecandidate = (e) => void a.addIceCandidate(e.candidate).catch(() => undefined);
    const channel = a.createDataChannel('careline-network-check', { ordered: true });
    channel.binaryType = 'arraybuffer';
    const remote = new Promise<RTCDataChannel>((resolve) => {
      b.ondatachannel = (e) => resolve(e.channel);
    });
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription ?? { type: 'offer' });
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription ?? { type: 'answer' });
    const echo = await withTimeout(Promise.all([remote, opened(channel)]).then(([r]) => r), CONNECT_TIMEOUT_MS);
    if (!echo) return result({ connected: false, rttMs: undefined, kbps: undefined }, relayed);
    echo.binaryType = 'arraybuffer';
    const rttMs = await measureRoundTrips(channel, echo);
    const kbps = await measureThroughput(channel, echo);
    return result({ connected: true, rttMs, kbps }, relayed);
  } catch {
    return result({ connected: false, rttMs: undefined, kbps: undefined }, relayed);
  } finally {
    options.signal?.removeEventListener('abort', abort);
    abort();
  }
}

function result(m: NetworkMeasurement, relayed: boolean): NetworkCheckResult {
  return { ...m, relayed, verdict: networkVerdict(m) };
}

function opened(channel: RTCDataChannel): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    channel.onopen = () => resolve();
    channel.onclose = () => reject(new Error('closed'));
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** PINGS sequential pings echoed by the far end; the median round trip. */
async function measureRoundTrips(channel: RTCDataChannel, echo: RTCDataChannel): Promise<number | undefined> {
  echo.onmessage = (e: MessageEvent<unknown>) => {
    if (typeof e.data === 'string') echo.send(e.data);
  };
  const rtts: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const back = new Promise<true>((resolve) => {
      channel.onmessage = (e: MessageEvent<unknown>) => {
        if (e.data === `ping:${i}`) resolve(true);
      };
    });
    const sent = performance.now();
    channel.send(`ping:${i}`);
    // A lost ping (2 s) counts as a 2 s round trip: it is what the user would feel.
    await withTimeout(back, 2_000);
    rtts.push(performance.now() - sent);
  }
  channel.onmessage = null;
  echo.onmessage = null;
  return median(rtts);
}

/** A burst of binary chunks for BURST_MS (or BURST_MAX_BYTES); the receiver's count over the elapsed time. */
async function measureThroughput(channel: RTCDataChannel, echo: RTCDataChannel): Promise<number | undefined> {
  let received = 0;
  let lastAt = 0;
  echo.onmessage = (e: MessageEvent<unknown>) => {
    if (e.data instanceof ArrayBuffer) {
      received += e.data.byteLength;
      lastAt = performance.now();
    }
  };
  const chunk = new ArrayBuffer(CHUNK);
  const start = performance.now();
  let sent = 0;
  channel.bufferedAmountLowThreshold = 4 * CHUNK;
  while (performance.now() - start < BURST_MS && sent < BURST_MAX_BYTES && channel.readyState === 'open') {
    if (channel.bufferedAmount > 16 * CHUNK) {
      await withTimeout(
        new Promise<void>((resolve) => {
          channel.onbufferedamountlow = () => resolve();
        }),
        500,
      );
      continue;
    }
    channel.send(chunk);
    sent += CHUNK;
  }
  // Let what is in flight arrive (bounded).
  await withTimeout(
    new Promise<void>((resolve) => {
      const check = () => (received >= sent || channel.readyState !== 'open' ? resolve() : setTimeout(check, 50));
      check();
    }),
    1_500,
  );
  echo.onmessage = null;
  const elapsed = lastAt - start;
  return received > 0 && elapsed > 0 ? (received * 8) / elapsed : undefined;
}
