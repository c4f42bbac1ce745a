import { el } from './ui.js';

/** This browser's choice to show captions or not (the meeting's switch is the host's; this one is the viewer's). */
const SHOW_KEY = 'tribune.captions';
/** Lines on screen at once; older ones go. */
const MAX_LINES = 3;
/** A line fades this long after its last update, and is gone a second later. */
const FADE_AFTER_MS = 6000;
const GONE_AFTER_MS = 7000;

function savedShow() {
  try {
    return localStorage.getItem(SHOW_KEY) !== 'off';
  } catch {
    return true; // storage disabled: captions shown
  }
}

/** What a host should do when switching captions failed, by the channel's error code. */
const FAILURE_ADVICE = {
  captions_not_allowed: 'This meeting\'s settings do not allow captions: allow transcription in the meeting\'s '
    + 'settings, then try again.',
  forbidden: 'Only the host and co-hosts can switch captions on or off.',
  meeting_cancelled: 'This meeting was cancelled.',
};

/**
 * The meeting page's live captions: an overlay over the stage with the last few lines ("Name: text"; a partial is
 * replaced in place by later captions of the same phrase, lines fade after a few seconds), the viewer's CC toggle
 * (remembered in localStorage), the "Captions on" indicator everyone sees while the meeting's captions are on, and
 * for hosts and co-hosts the Start / Stop captions button (over the channel). Text always goes in as text.
 */
export class Captions {
  /**
   * @param {object} options
   * @param {boolean} options.moderator whether this person may switch the meeting's captions
   * @param {(message: object) => boolean} options.send sends a channel message; false when not connected
   * @param {(participantId: string) => string | undefined} options.nameOf the roster's name of a participant
   */
  constructor({ moderator, send, nameOf }) {
    this.moderator = moderator;
    this.send = send;
    this.nameOf = nameOf;
    this.enabled = false;
    this.showing = savedShow();
    this.lines = new Map(); // phrase_id -> { node, text, fade, gone }

    this.overlay = el('div', { class: 'captions-overlay', 'aria-live': 'polite', 'aria-label': 'Live captions',
      'data-captions': 'off', hidden: true });
    this.toggle = el('button', { type: 'button', class: 'secondary', 'data-action': 'captions-toggle', text: 'CC',
      'aria-label': 'Show captions' });
    this.toggle.addEventListener('click', () => this.setShowing(!this.showing));
    this.indicator = el('span', { class: 'badge captions-on', role: 'status', hidden: true, text: 'CC Captions on' });
    this.control = el('button', { type: 'button', class: 'secondary', 'data-action': 'captions', hidden: !moderator,
      text: 'Start captions' });
    this.control.addEventListener('click', () => this.requestSwitch(!this.enabled));
    this.error = el('span', { class: 'error', role: 'alert', 'data-error': 'captions', hidden: true });
    this.render();
  }

  /** The meeting's captions were switched on or off (welcome or captions.state). */
  applyState(enabled) {
    this.enabled = Boolean(enabled);
    this.control.disabled = false;
    if (this.enabled) this.error.hidden = true;
    if (!this.enabled) this.clear();
    this.render();
  }

  /** A caption from the channel: a new line, or the same phrase's line updated in place. */
  show(caption) {
    if (!caption || typeof caption.text !== 'string' || !caption.phrase_id) return;
    const name = caption.name || this.nameOf(caption.participant_id) || 'Someone';
    let line = this.lines.get(caption.phrase_id);
    if (!line) {
      const node = el('div', { class: 'caption-line', 'data-phrase': caption.phrase_id });
      line = { node };
      this.lines.set(caption.phrase_id, line);
      this.overlay.append(node);
      while (this.lines.size > MAX_LINES) this.drop(this.lines.keys().next().value);
    }
    line.text = caption.text;
    line.node.dataset.final = String(Boolean(caption.final));
    line.node.classList.remove('fading');
    line.node.replaceChildren(el('span', { class: 'caption-name', text: `${name}: ` }),
      el('span', { class: 'caption-text', text: caption.text }));
    clearTimeout(line.fade);
    clearTimeout(line.gone);
    line.fade = setTimeout(() => line.node.classList.add('fading'), FADE_AFTER_MS);
    line.gone = setTimeout(() => this.drop(caption.phrase_id), GONE_AFTER_MS);
  }

  /** The channel refused captions.set: the host is told why and what to do. */
  failed(error) {
    this.control.disabled = false;
    this.error.textContent = `Could not switch captions: ${FAILURE_ADVICE[error.code] || error.message}`;
    this.error.hidden = false;
  }

  requestSwitch(enabled) {
    this.error.hidden = true;
    if (!this.send({ type: 'captions.set', enabled })) {
      this.error.textContent = 'Not connected, so captions were not switched: wait for "connected" and try again.';
      this.error.hidden = false;
      return;
    }
    this.control.disabled = true; // until captions.state (or an error) answers
  }

  setShowing(showing) {
    this.showing = showing;
    try {
      localStorage.setItem(SHOW_KEY, showing ? 'on' : 'off');
    } catch {
      // storage disabled: the choice lasts for this meeting only
    }
    this.render();
  }

  drop(phraseId) {
    const line = this.lines.get(phraseId);
    if (!line) return;
    clearTimeout(line.fade);
    clearTimeout(line.gone);
    line.node.remove();
    this.lines.delete(phraseId);
  }

  clear() {
    [...this.lines.keys()].forEach((id) => this.drop(id));
  }

  render() {
    this.overlay.hidden = !(this.enabled && this.showing);
    this.overlay.dataset.captions = this.enabled && this.showing ? 'on' : 'off';
    this.indicator.hidden = !this.enabled;
    this.toggle.setAttribute('aria-pressed', String(this.showing));
    this.toggle.setAttribute('aria-label', this.showing ? 'Hide captions' : 'Show captions');
    this.toggle.title = this.showing ? 'Captions shown for you (click to hide)' : 'Captions hidden for you (click to '
      + 'show)';
    this.control.textContent = this.enabled ? 'Stop captions' : 'Start captions';
  }
}
