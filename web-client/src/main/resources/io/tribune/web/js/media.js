// Media with the SFU node. The signaling protocol is the SFU's (docs/sfu-signaling.md); until this page speaks it,
// the meeting runs without remote media and says so.

export class Media {
  constructor(grant, local, handlers) {
    this.grant = grant;
    this.local = local;
    this.handlers = handlers;
    handlers.status('connected (chat only: media is not connected yet)');
  }

  setMuted() {}

  async shareScreen() {
    throw new Error('Screen sharing is not available yet.');
  }

  stopScreen() {}

  close() {}
}
