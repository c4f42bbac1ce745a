// The town-hall audience page (#/watch/ID): the broadcast through hls.js in low-latency mode, a quality menu,
// a live / behind-live indicator with "jump to live", a CC toggle for the stream's WebVTT captions (drawn by the
// browser from the video's text track; the choice is remembered), the viewer count, and a chat + Q&A panel. Audience members
// never connect to the SFU: the meeting channel carries the broadcast's state, the signed playback cookies
// (broadcast.playback), chat and questions.
import { call, session } from '../api.js';
import { Channel } from '../channel.js';
import { el, reconcile, show, toast, when } from '../ui.js';
import { takeGrant } from './join.js';

const HLS_JS = '/app/vendor/hls/hls.min.js';
/** Behind the live edge by more than this (seconds) shows "behind live" and the jump button. */
const BEHIND_AFTER_S = 4;
const ANSWERING_ROLES = ['host', 'co_host', 'panelist'];
/** The viewer's captions choice, shared with the meeting page's CC toggle (captions.js). */
const CAPTIONS_KEY = 'tribune.captions';

function savedCaptions() {
  try {
    return localStorage.getItem(CAPTIONS_KEY) !== 'off';
  } catch {
    return true; // storage disabled: captions shown
  }
}

function saveCaptions(showing) {
  try {
    localStorage.setItem(CAPTIONS_KEY, showing ? 'on' : 'off');
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

let current = null;

/** Stops playback and leaves the channel (navigation away). */
export function leaveWatch() {
  if (!current) return;
  current.closed = true;
  clearInterval(current.timer);
  clearTimeout(current.renewTimer);
  clearTimeout(current.retryTimer);
  current.hls?.destroy();
  current.channel?.close();
  current = null;
}

function loadHlsJs() {
  if (window.Hls) return Promise.resolve(window.Hls);
  return new Promise((resolve, reject) => {
    const script = el('script', { src: HLS_JS });
    script.addEventListener('load', () => resolve(window.Hls));
    script.addEventListener('error', () => reject(new Error('the player could not be loaded')));
    document.head.append(script);
  });
}

/** Stores the CloudFront cookies for the HLS host's event path (they reach it from this page: same host). */
function storeCookies(pass) {
  const expires = new Date(pass.expires_at).toUTCString();
  const secure = pass.hls_url.startsWith('https:') ? '; Secure; SameSite=None' : '; SameSite=Lax';
  const domain = pass.cookie_domain ? `; Domain=${pass.cookie_domain}` : '';
  for (const [name, value] of Object.entries(pass.cookies || {})) {
    document.cookie = `${name}=${value}; Path=${pass.cookie_path}; Expires=${expires}${domain}${secure}`;
  }
}

export async function watchPage(meetingId) {
  const grant = takeGrant(meetingId);
  if (!grant) {
    location.hash = `#/join/${meetingId}`;
    return;
  }
  leaveWatch();
  const state = { grant, me: grant.participant_id, broadcast: null, pass: null, hls: null, questions: new Map(),
    votes: new Set(), tab: 'chat', viewers: 0, live: false, stalls: 0, levels: [], captions: savedCaptions(),
    subtitleTracks: 0 };
  current = state;
  // For the browser console and the browser tests.
  window.tribuneWatch = state;
  const answers = ANSWERING_ROLES.includes(grant.role);

  const video = el('video', { controls: true, playsinline: true, muted: true, 'aria-label': 'Town hall broadcast' });
  const notice = el('p', { class: 'watch-notice', role: 'status', text: 'Connecting…' });
  const liveBadge = el('span', { class: 'live-badge', 'data-live': 'offline', text: 'Offline' });
  const jump = el('button', { type: 'button', class: 'secondary', text: 'Jump to live', hidden: true,
    onclick: () => jumpToLive() });
  const qualitySelect = el('select', { 'aria-label': 'Quality', disabled: true },
    el('option', { value: '-1', text: 'Auto' }));
  // Hidden until the stream lists a subtitles track.
  const captionsToggle = el('button', { type: 'button', class: 'secondary', 'data-action': 'captions-toggle',
    text: 'CC', hidden: true, onclick: () => {
      state.captions = !state.captions;
      saveCaptions(state.captions);
      applyCaptions();
    } });
  const viewers = el('span', { class: 'muted', 'aria-live': 'polite', 'data-viewers': '0', text: '0 watching' });
  const status = el('span', { class: 'muted', role: 'status', 'data-status': 'channel', text: 'connecting…' });
  const unmute = el('button', { type: 'button', class: 'secondary', text: 'Unmute', onclick: () => {
    video.muted = !video.muted;
    unmute.textContent = video.muted ? 'Unmute' : 'Mute';
  } });

  // Chat and Q&A, as two tabs (arrow keys move between them, as in the WAI-ARIA tabs pattern).
  const messages = el('div', { class: 'messages', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
  const questionList = el('ol', { class: 'list questions', 'aria-label': 'Questions' });
  const chatInput = el('textarea', { rows: 2, maxlength: 4000, 'aria-label': 'Message', placeholder: 'Message…' });
  const askInput = el('textarea', { rows: 2, maxlength: 500, 'aria-label': 'Your question',
    placeholder: 'Ask the panel…' });
  const chatForm = el('form', { class: 'compose', onsubmit: (event) => {
    event.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    if (state.channel.chat(text)) chatInput.value = '';
    else toast('Not connected; try again in a moment.');
  } }, chatInput, el('button', { type: 'submit', text: 'Send' }));
  const askForm = el('form', { class: 'compose', onsubmit: (event) => {
    event.preventDefault();
    const text = askInput.value.trim();
    if (!text) return;
    if (state.channel.send({ type: 'question.ask', text })) askInput.value = '';
    else toast('Not connected; try again in a moment.');
  } }, askInput, el('button', { type: 'submit', text: 'Ask' }));
  const chatPanel = el('div', { class: 'panel', id: 'watch-chat', role: 'tabpanel', 'aria-labelledby': 'tab-chat' },
    messages, chatForm);
  const qaPanel = el('div', { class: 'panel', id: 'watch-qa', role: 'tabpanel', 'aria-labelledby': 'tab-qa',
    hidden: true }, el('div', { class: 'messages' }, questionList), askForm);
  const chatTab = el('button', { type: 'button', role: 'tab', id: 'tab-chat', 'aria-controls': 'watch-chat',
    'aria-selected': 'true', text: 'Chat', onclick: () => select('chat') });
  const qaTab = el('button', { type: 'button', role: 'tab', id: 'tab-qa', 'aria-controls': 'watch-qa',
    'aria-selected': 'false', tabindex: '-1', text: 'Q&A', onclick: () => select('qa') });
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Chat and questions', onkeydown: (event) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      select(state.tab === 'chat' ? 'qa' : 'chat');
      (state.tab === 'chat' ? chatTab : qaTab).focus();
    }
  } }, chatTab, qaTab);
  function select(tab) {
    state.tab = tab;
    chatTab.setAttribute('aria-selected', String(tab === 'chat'));
    qaTab.setAttribute('aria-selected', String(tab === 'qa'));
    chatTab.tabIndex = tab === 'chat' ? 0 : -1;
    qaTab.tabIndex = tab === 'qa' ? 0 : -1;
    chatPanel.hidden = tab !== 'chat';
    qaPanel.hidden = tab !== 'qa';
  }

  const main = show(el('div', { class: 'watch' },
    el('section', { class: 'stage', 'aria-label': 'Broadcast' },
      el('h1', { class: 'room-title', text: grant.title || 'Town hall' }),
      el('div', { class: 'player' }, video, notice),
      el('div', { class: 'controls' }, liveBadge, jump, el('label', { class: 'visually-hidden', for: 'quality',
        text: 'Quality' }), qualitySelect, captionsToggle, unmute, viewers, status)),
    el('aside', { class: 'side', 'aria-label': 'Chat and Q&A' }, tabs, chatPanel, qaPanel)));
  main.classList.add('wide');
  qualitySelect.id = 'quality';

  function chatLine(message) {
    messages.append(el('div', { class: 'message' },
      el('div', {}, el('span', { class: 'who', text: message.name || message.user_id }), ' ',
        el('span', { class: 'when', text: when(message.timestamp) })),
      el('div', { class: 'text', text: message.message })));
    messages.scrollTop = messages.scrollHeight;
  }

  // A question's line is kept while it lives (only its count, state and order change), so an upvote pressed while
  // other votes arrive is not lost to a rebuilt button.
  function questionLine(q) {
    const upvote = el('button', { type: 'button', class: 'secondary vote', 'data-question': q.question_id,
      onclick: () => {
        state.votes.add(q.question_id);
        state.channel.send({ type: 'question.vote', question_id: q.question_id });
        renderQuestions();
      } });
    const meta = el('div', { class: 'muted small' });
    const answer = answers && !q.answered ? el('button', { type: 'button', class: 'secondary',
      text: 'Mark answered', onclick: () => state.channel.send({ type: 'question.answer',
        question_id: q.question_id }) }) : null;
    const line = el('li', { 'data-question': q.question_id },
      upvote, el('div', { class: 'q-body' }, el('div', { class: 'text', text: q.text }), meta), answer);
    line.refresh = (now) => {
      const voted = state.votes.has(now.question_id);
      line.className = now.answered ? 'question answered' : 'question';
      upvote.textContent = `▲ ${now.votes}`;
      upvote.disabled = voted || now.author_id === state.me;
      upvote.setAttribute('aria-pressed', String(voted));
      upvote.setAttribute('aria-label', `Upvote (${now.votes} votes): ${now.text}`);
      meta.textContent = `${now.name}${now.answered ? ' · answered' : ''}`;
    };
    return line;
  }

  function renderQuestions() {
    const sorted = [...state.questions.values()].sort((a, b) => (a.answered - b.answered) || (b.votes - a.votes)
      || (Number(a.question_id) - Number(b.question_id)));
    const lines = reconcile(questionList, sorted.map((q) => ({ key: q.question_id,
      version: String(answers && !q.answered), build: () => questionLine(q) })));
    for (const q of sorted) lines.get(q.question_id).node.refresh(q);
  }

  // Playback: hls.js, started once the broadcast is live and the cookies are in place; restarted after fatal errors.
  function setNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  // Captions: hls.js loads the subtitles rendition only while a track is selected, and the browser draws the cues.
  function applyCaptions() {
    captionsToggle.hidden = state.subtitleTracks === 0;
    captionsToggle.setAttribute('aria-pressed', String(state.captions));
    captionsToggle.setAttribute('aria-label', state.captions ? 'Hide captions' : 'Show captions');
    const hls = state.hls;
    if (!hls || state.subtitleTracks === 0) return;
    hls.subtitleDisplay = state.captions;
    hls.subtitleTrack = state.captions ? 0 : -1;
  }

  async function startPlayer() {
    if (state.closed || state.hls || !state.pass || !state.live) return;
    let Hls;
    try {
      Hls = await loadHlsJs();
    } catch (error) {
      setNotice(error.message);
      return;
    }
    if (state.closed || state.hls) return;
    if (!Hls.isSupported()) {
      setNotice('This browser cannot play the broadcast (no Media Source Extensions).');
      return;
    }
    setNotice('Starting the broadcast…');
    const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5, enableWorker: false,
      backBufferLength: 30, renderTextTracksNatively: true, xhrSetup: (xhr) => { xhr.withCredentials = true; } });
    state.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, (_, data) => {
      state.levels = data.levels.map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }));
      qualitySelect.replaceChildren(el('option', { value: '-1', text: 'Auto' }), ...state.levels
        .map((level) => el('option', { value: String(level.index), text: `${level.height}p` })));
      qualitySelect.disabled = false;
      state.subtitleTracks = data.subtitleTracks?.length || 0;
      applyCaptions();
      video.play().catch(() => setNotice('Press play to start the broadcast.'));
    });
    hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_, data) => {
      state.subtitleTracks = data.subtitleTracks?.length || 0;
      applyCaptions();
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => {
      const level = hls.levels[data.level];
      qualitySelect.options[0].textContent = level ? `Auto (${level.height}p)` : 'Auto';
      qualitySelect.dataset.playing = level ? String(level.height) : '';
    });
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      // The playlist 404s until the first parts exist, and 403s once the cookies expired: start again shortly.
      hls.destroy();
      state.hls = null;
      if (data.response?.code === 403) requestPass();
      setNotice(state.live ? 'Waiting for the broadcast…' : '');
      state.retryTimer = setTimeout(startPlayer, 2000);
    });
    hls.loadSource(state.pass.hls_url);
    hls.attachMedia(video);
  }

  function stopPlayer() {
    state.hls?.destroy();
    state.hls = null;
    state.subtitleTracks = 0;
    applyCaptions();
    qualitySelect.disabled = true;
    qualitySelect.options[0].textContent = 'Auto';
    qualitySelect.value = '-1';
  }

  function jumpToLive() {
    const edge = state.hls?.liveSyncPosition;
    if (edge) video.currentTime = edge;
    video.play().catch(() => {});
  }

  qualitySelect.addEventListener('change', () => {
    if (state.hls) state.hls.currentLevel = Number(qualitySelect.value);
  });
  video.addEventListener('playing', () => setNotice(''));
  video.addEventListener('waiting', () => { state.stalls += 1; });

  function requestPass() {
    state.channel.send({ type: 'broadcast.playback' });
  }

  function applyBroadcast(broadcast) {
    state.broadcast = broadcast;
    state.viewers = broadcast.viewer_count;
    viewers.textContent = `${broadcast.viewer_count} watching`;
    viewers.dataset.viewers = String(broadcast.viewer_count);
    const wasLive = state.live;
    state.live = broadcast.state === 'live';
    if (state.live && !wasLive) {
      startPlayer();
    } else if (!state.live) {
      stopPlayer();
      setNotice(broadcast.state === 'stopped' ? 'The broadcast has ended. Thank you for watching.'
        : 'The broadcast has not started yet. It starts here by itself.');
    }
  }

  // Live / behind-live, from the player's distance to the live edge (what hls.js steers towards in LL mode).
  state.timer = setInterval(() => {
    state.ticks = (state.ticks || 0) + 1;
    if (state.ticks % 10 === 0) state.channel?.send({ type: 'broadcast.state' });
    const edge = state.hls?.liveSyncPosition;
    let mode = 'offline';
    if (state.live && state.hls && edge) {
      const behind = edge - video.currentTime;
      state.behind = behind;
      mode = video.paused || behind > BEHIND_AFTER_S ? 'behind' : 'live';
    } else if (state.live) {
      mode = 'starting';
    }
    liveBadge.dataset.live = mode;
    liveBadge.textContent = { live: 'Live', behind: 'Behind live', starting: 'Live soon', offline: 'Offline' }[mode];
    jump.hidden = mode !== 'behind';
  }, 1000);

  const rejoin = async () => {
    const signedIn = Boolean(session());
    const body = signedIn ? { user_id: session().userId } : { display_name: grant.display_name };
    if (grant.options?.passcode) body.passcode = grant.options.passcode;
    const answer = await call('POST', `/api/v1/meetings/${meetingId}/join`, body, { auth: signedIn });
    return answer.join_token;
  };

  state.channel = new Channel(grant.join_token, rejoin, {
    status: (text) => { status.textContent = text; },
    closed: (reason) => {
      const text = { removed: 'The host removed you from the town hall.', ended: 'The town hall has ended.',
        refused: 'You cannot rejoin: open the town hall from its link again.' }[reason];
      leaveWatch();
      show(el('h1', { text: 'You left the town hall' }), el('p', { text }), el('p', {}, el('a', { href: '#/',
        text: 'Back to your meetings' })));
    },
    event: (m) => {
      switch (m.type) {
        case 'welcome':
          messages.replaceChildren();
          m.messages.forEach(chatLine);
          state.channel.send({ type: 'broadcast.state' });
          state.channel.send({ type: 'question.list' });
          requestPass();
          break;
        case 'chat.message':
          chatLine(m.message);
          break;
        case 'broadcast.state':
          applyBroadcast(m.broadcast);
          break;
        case 'broadcast.playback': {
          state.pass = m.playback;
          storeCookies(m.playback);
          clearTimeout(state.renewTimer);
          // New cookies a minute before these expire (or halfway through a short lifetime).
          const left = new Date(m.playback.expires_at).getTime() - Date.now();
          state.renewTimer = setTimeout(requestPass, Math.max(5000, Math.min(left - 60_000, left / 2)));
          startPlayer();
          break;
        }
        case 'question.list':
          state.questions = new Map(m.questions.map((q) => [q.question_id, q]));
          m.questions.filter((q) => q.voted).forEach((q) => state.votes.add(q.question_id));
          renderQuestions();
          break;
        case 'question.updated':
          state.questions.set(m.question.question_id, m.question);
          renderQuestions();
          break;
        case 'meeting.ended':
          stopPlayer();
          break;
        case 'error':
          if (m.code === 'already_voted') break;
          toast(m.message);
          break;
        default:
          break;
      }
    },
  });
}
