// Audio and video through the SFU node (protocol: docs/sfu-signaling.md). One RTCPeerConnection that publishes
// and receives; only the browser offers, one negotiation at a time. Remote tracks are grouped into one
// MediaStream per participant (and one more for a screen share) and handed to the page.

export class Media {
  /**
   * @param grant    the join response (join_token, signaling_url, ice_servers)
   * @param local    the camera and microphone MediaStream, or null
   * @param handlers { track(participantId, stream, source), gone(participantId, source), status(text),
   *                   removed(reason), activeSpeaker(participantId), quality(level, details) }
   */
  constructor(grant, local, handlers) {
    this.grant = grant;
    this.local = local;
    this.handlers = handlers;
    this.nextId = 1;
    this.pending = new Map();
    this.published = new Map();   // source -> { track, transceiver, trackId }
    this.remote = new Map();      // mid -> { trackId, participantId, source, transceiver }
    this.streams = new Map();     // participantId + '/' + source group -> MediaStream
    this.queue = Promise.resolve();
    this.closed = false;
    this.start().catch((error) => handlers.status(`media unavailable: ${error.message}`));
  }

  async start() {
    const iceServers = (this.grant.ice_servers || []).map((s) => ({ urls: s.urls, username: s.username || undefined,
      credential: s.credential || undefined }));
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers });
    this.pc.ontrack = (event) => this.attach(event.transceiver);
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      if (state === 'connected') this.handlers.status('connected');
      else if (state === 'failed' || state === 'disconnected') this.handlers.status(`media ${state}; reconnecting…`);
      if (state === 'failed') this.restartIce();
    };
    if (this.local && this.grant.permissions.includes('publish')) {
      for (const track of this.local.getTracks()) {
        this.published.set(track.kind === 'audio' ? 'microphone' : 'camera',
          { track, transceiver: this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.local] }) });
      }
    }
    this.ws = new WebSocket(this.grant.signaling_url);
    this.ws.onmessage = (event) => this.onMessage(JSON.parse(event.data));
    this.ws.onclose = (event) => {
      if (this.closed) return;
      // The signaling socket is gone (network blip, node restart, media consent lost): this session is over;
      // the page starts a new one with a fresh join token unless another connection replaced this one.
      this.handlers.status(event.code === 4002 ? 'media disconnected by the server' : 'media connection lost');
      const replaced = this.removedReason === 'replaced';
      this.close();
      for (const key of this.streams.keys()) {
        const [participantId, group] = key.split('/');
        this.handlers.gone(participantId, group);
      }
      this.streams.clear();
      if (!replaced) this.handlers.lost?.(event.code);
    };
    await new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error('cannot reach the media server'));
    });
    const joined = await this.request({ type: 'join', token: this.grant.join_token });
    if (joined.active_speaker) this.handlers.activeSpeaker?.(joined.active_speaker); // who spoke before we came
    this.pinger = setInterval(() => this.request({ type: 'ping' }).catch(() => {}), 20_000);
    this.meter = setInterval(() => this.measure().catch(() => {}), 3000);
    for (const participant of joined.participants) {
      for (const track of participant.tracks) this.pc.addTransceiver(track.kind, { direction: 'recvonly' });
    }
    await this.renegotiate();
  }

  request(message) {
    message.id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.ws.send(JSON.stringify(message));
    });
  }

  onMessage(message) {
    if (message.id !== undefined && this.pending.has(message.id)) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'error') waiter.reject(new Error(message.message));
      else waiter.resolve(message);
      return;
    }
    switch (message.type) {
      case 'track_published':
        this.pc.addTransceiver(message.track.kind, { direction: 'recvonly' });
        this.renegotiate();
        break;
      case 'track_unpublished':
        this.drop((remote) => remote.trackId === message.track_id);
        break;
      case 'participant_left':
        this.drop((remote) => remote.participantId === message.participant_id);
        break;
      case 'removed':
        this.removedReason = message.reason;
        this.handlers.status(`media ended: ${message.reason}`);
        break;
      case 'active_speaker':
        this.handlers.activeSpeaker?.(message.participant_id);
        break;
      default:
    }
  }

  /** Puts a received track into its participant's stream (camera and microphone together, screen apart). */
  attach(transceiver) {
    const remote = this.remote.get(transceiver.mid);
    if (!remote) return;
    const group = remote.source === 'screen' ? 'screen' : 'camera';
    const key = `${remote.participantId}/${group}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = new MediaStream();
      this.streams.set(key, stream);
    }
    if (!stream.getTracks().includes(transceiver.receiver.track)) stream.addTrack(transceiver.receiver.track);
    this.handlers.track(remote.participantId, stream, group);
  }

  drop(predicate) {
    let changed = false;
    for (const [mid, remote] of this.remote) {
      if (!predicate(remote)) continue;
      const group = remote.source === 'screen' ? 'screen' : 'camera';
      const stream = this.streams.get(`${remote.participantId}/${group}`);
      if (stream) {
        stream.removeTrack(remote.transceiver.receiver.track);
        if (!stream.getTracks().length) {
          this.streams.delete(`${remote.participantId}/${group}`);
          this.handlers.gone(remote.participantId, group);
        }
      }
      remote.transceiver.stop();
      this.remote.delete(mid);
      changed = true;
    }
    if (changed) this.renegotiate();
  }

  renegotiate() {
    this.queue = this.queue.then(() => this.negotiate())
      .catch((error) => this.handlers.status(`media negotiation failed: ${error.message}`));
    return this.queue;
  }

  async negotiate(options) {
    if (this.closed || this.pc.signalingState === 'closed') return;
    await this.pc.setLocalDescription(await this.pc.createOffer(options));
    for (const [source, published] of this.published) {
      if (!published.trackId && published.transceiver.mid !== null) {
        const reply = await this.request({ type: 'publish', mid: published.transceiver.mid, source,
          kind: published.track.kind });
        published.trackId = reply.track_id;
        if (!published.track.enabled) this.request({ type: 'mute', track_id: reply.track_id }).catch(() => {});
      }
    }
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise((resolve) => {
        const done = () => { if (this.pc.iceGatheringState === 'complete') resolve(); };
        this.pc.addEventListener('icegatheringstatechange', done);
        setTimeout(resolve, 2000);
      });
    }
    const answer = await this.request({ type: 'offer', sdp: this.pc.localDescription.sdp });
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    for (const transceiver of this.pc.getTransceivers()) {
      const bound = transceiver.mid !== null ? answer.tracks[transceiver.mid] : undefined;
      if (bound && !this.remote.has(transceiver.mid)) {
        this.remote.set(transceiver.mid, { trackId: bound.track_id, participantId: bound.participant_id,
          source: bound.source, transceiver });
        this.attach(transceiver);
      }
    }
  }

  /**
   * Connection quality from getStats every 3 s: round-trip time of the selected candidate pair and the share of
   * packets lost since the last measurement, over everything received. good: < 150 ms and < 2 % lost;
   * poor: > 400 ms or > 8 % lost, or no packets at all while others publish; fair otherwise.
   */
  async measure() {
    if (!this.pc || this.closed) return;
    const stats = await this.pc.getStats();
    let rtt = null;
    let received = 0;
    let lost = 0;
    stats.forEach((r) => {
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && r.currentRoundTripTime !== undefined) {
        rtt = r.currentRoundTripTime * 1000;
      }
      if (r.type === 'inbound-rtp') {
        received += r.packetsReceived || 0;
        lost += Math.max(0, r.packetsLost || 0);
      }
    });
    const before = this.lastCounts || { received: 0, lost: 0 };
    this.lastCounts = { received, lost };
    const newReceived = received - before.received;
    const newLost = lost - before.lost;
    const lossPct = newReceived + newLost > 0 ? (100 * newLost) / (newReceived + newLost) : 0;
    let level = 'good';
    if (this.pc.connectionState !== 'connected' || (rtt !== null && rtt > 400) || lossPct > 8
      || (this.remote.size > 0 && newReceived === 0)) {
      level = 'poor';
    } else if ((rtt !== null && rtt > 150) || lossPct > 2) {
      level = 'fair';
    }
    this.handlers.quality?.(level, { rttMs: rtt === null ? null : Math.round(rtt), lossPct: Math.round(lossPct * 10) / 10 });
  }

  restartIce() {
    this.queue = this.queue.then(() => this.negotiate({ iceRestart: true })).catch(() => {});
  }

  /** Mutes or unmutes our microphone ('audio') or camera ('video') for everyone. */
  setMuted(kind, muted) {
    const published = this.published.get(kind === 'audio' ? 'microphone' : 'camera');
    if (!published) return;
    published.track.enabled = !muted;
    if (published.trackId && this.ws.readyState === WebSocket.OPEN) {
      this.request({ type: muted ? 'mute' : 'unmute', track_id: published.trackId }).catch(() => {});
    }
  }

  async shareScreen(onEnded) {
    if (!this.grant.permissions.includes('screenshare')) throw new Error('You may not share your screen here.');
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const track = display.getVideoTracks()[0];
    track.onended = () => { this.stopScreen(); onEnded(); };
    this.published.set('screen', { track, transceiver: this.pc.addTransceiver(track,
      { direction: 'sendonly', streams: [display] }) });
    await this.renegotiate();
  }

  stopScreen() {
    const screen = this.published.get('screen');
    if (!screen) return;
    this.published.delete('screen');
    screen.track.stop();
    if (screen.trackId) this.request({ type: 'unpublish', track_id: screen.trackId }).catch(() => {});
    screen.transceiver.stop();
    this.renegotiate();
  }

  close() {
    this.closed = true;
    clearInterval(this.pinger);
    clearInterval(this.meter);
    try {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'leave' }));
      this.ws?.close(1000, 'left');
    } catch {
      // already gone
    }
    this.pc?.close();
  }
}
