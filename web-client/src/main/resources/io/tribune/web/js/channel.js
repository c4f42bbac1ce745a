// The meeting channel (see docs/meeting-channel.md): one WebSocket, authenticated by a join token, that
// reconnects after a network blip with a fresh token and resumes the chat after the last message it saw.

const FINAL = { 4001: 'refused', 4003: 'removed', 4004: 'ended' };

export class Channel {
  /**
   * @param token    the join token from POST /meetings/{id}/join
   * @param rejoin   async () => a new join token (a token opens one connection only)
   * @param handlers { event(message), status(text), closed(reason) }
   */
  constructor(token, rejoin, handlers) {
    this.token = token;
    this.rejoin = rejoin;
    this.handlers = handlers;
    this.lastMessageId = 0;
    this.clientIds = 0;
    this.closedForGood = false;
    this.open();
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/channel`);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'auth', token: this.token, after: this.lastMessageId }));
      this.pinger = setInterval(() => this.send({ type: 'ping' }), 25_000);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'welcome') {
        this.handlers.status('connected');
        message.messages.forEach((m) => this.seen(m));
      } else if (message.type === 'chat.message') {
        this.seen(message.message);
      } else if (message.type === 'chat.history') {
        message.messages.forEach((m) => this.seen(m));
      }
      this.handlers.event(message);
    };
    socket.onclose = (event) => {
      clearInterval(this.pinger);
      if (this.closedForGood) return;
      if (FINAL[event.code]) {
        this.closedForGood = true;
        this.handlers.closed(FINAL[event.code]);
        return;
      }
      this.handlers.status('reconnecting…');
      setTimeout(() => this.reconnect(), 1000 + Math.random() * 1000);
    };
  }

  async reconnect() {
    if (this.closedForGood) return;
    try {
      this.token = await this.rejoin();
      this.open();
    } catch (error) {
      this.handlers.status(`cannot reconnect (${error.message}); retrying`);
      setTimeout(() => this.reconnect(), 3000);
    }
  }

  seen(message) {
    this.lastMessageId = Math.max(this.lastMessageId, Number(message.message_id));
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  chat(text, to) {
    return this.send({ type: 'chat.send', text, to: to || undefined,
      client_id: `${Date.now().toString(36)}-${++this.clientIds}` });
  }

  /** Drops the connection without leaving (tests and the "network blip" case). */
  drop() {
    this.socket.close(4000, 'dropped');
  }

  close() {
    this.closedForGood = true;
    clearInterval(this.pinger);
    if (this.socket) this.socket.close(1000, 'left');
  }
}
