import { call, session } from '../api.js';
import { Channel } from '../channel.js';
import { el, linkified, reconcile, show, toast, when } from '../ui.js';
import { takeGrant, withRejoinIdentity } from './join.js';
import { Media } from '../media.js';
import { Captions } from '../captions.js';

let current = null;

/** The layout this browser last chose: the responsive grid, or the speaker view (one big stage and a strip). */
const LAYOUT_KEY = 'tribune.layout';
function savedLayout() {
  try {
    return localStorage.getItem(LAYOUT_KEY) === 'speaker' ? 'speaker' : 'grid';
  } catch {
    return 'grid'; // storage disabled: the default
  }
}

/** Everyone's connection quality in the participants panel: a signal-strength icon and the level in words. */
const QUALITY_BARS = { good: 3, fair: 2, poor: 1 };
function qualityBadge(level) {
  if (!QUALITY_BARS[level]) return null;
  const bars = el('span', { class: 'bars', 'aria-hidden': 'true' },
    [1, 2, 3].map((n) => el('span', { class: n <= QUALITY_BARS[level] ? 'on' : '' })));
  return el('span', { class: 'quality-badge', 'data-quality': level }, bars, ` Connection ${level}`);
}

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/** Leaves the meeting the page was in (navigation away). */
export function leaveRoom() {
  if (!current) return;
  current.channel.close();
  current.media?.close();
  current.local?.getTracks().forEach((track) => track.stop());
  current = null;
}

export async function roomPage(meetingId) {
  const grant = takeGrant(meetingId);
  if (!grant) {
    location.hash = `#/join/${meetingId}`;
    return;
  }
  leaveRoom();
  const state = { grant, roster: new Map(), me: grant.participant_id, unread: 0, tab: 'chat',
    moderator: grant.permissions.includes('moderate'), hand: false, audioMuted: Boolean(grant.options?.muted),
    videoMuted: Boolean(grant.options?.cameraOff), sharing: false, privateTo: '', mediaLog: [],
    layout: savedLayout() };
  current = state;
  // The room's live state (channel, media, roster) for the browser console and the browser tests.
  window.tribuneRoom = state;

  const grid = el('div', { class: 'grid', 'aria-label': 'Participants video' });
  const status = el('span', { class: 'muted', role: 'status', 'data-status': 'channel', text: 'connecting…' });
  const mediaStatus = el('span', { class: 'muted', role: 'status', 'data-status': 'media' });
  const quality = el('span', { class: 'quality', 'data-quality': 'unknown', title: 'Connection quality' });
  const messages = el('div', { class: 'messages', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
  const people = el('ul', { class: 'list people', 'aria-label': 'Participants' });
  const recipient = el('select', { 'aria-label': 'Send to' });
  const input = el('textarea', { rows: 2, maxlength: 4000, 'aria-label': 'Message', placeholder: 'Message…' });
  // Files: offered over the channel (size and type checked at once), then uploaded to the signed link it answers.
  const fileInput = el('input', { type: 'file', class: 'visually-hidden', 'aria-label': 'Share a file' });
  const pendingUploads = new Map();
  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    const clientId = `f-${Date.now().toString(36)}-${pendingUploads.size}`;
    pendingUploads.set(clientId, file);
    if (!state.channel.send({ type: 'file.offer', name: file.name, size: file.size,
      content_type: file.type || 'application/octet-stream', client_id: clientId })) {
      toast('Not connected; the file was not shared. Try again in a moment.');
    }
  });
  const upload = async (offer) => {
    const file = pendingUploads.get(offer.client_id);
    pendingUploads.delete(offer.client_id);
    if (!file) return;
    toast(`Uploading ${file.name}…`);
    try {
      const response = await fetch(offer.upload_url, { method: 'PUT', headers: { 'Content-Type': offer.content_type },
        body: file });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        toast(problem.message || `The upload failed (HTTP ${response.status}).`);
      }
    } catch (error) {
      toast(`The upload failed: ${error.message}`);
    }
  };
  const chatTab = el('button', { type: 'button', role: 'tab', 'aria-selected': 'true', text: 'Chat' });
  const peopleTab = el('button', { type: 'button', role: 'tab', 'aria-selected': 'false', text: 'People' });
  const chatPanel = el('section', { class: 'panel', 'aria-label': 'Chat' }, messages,
    el('form', { class: 'compose', onsubmit: (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (state.channel.chat(text, recipient.value)) input.value = '';
      else toast('Not connected; your message was not sent. Try again in a moment.');
    } }, recipient, input, el('div', { class: 'row' }, el('button', { type: 'submit', text: 'Send' }),
      el('label', { class: 'button secondary', title: 'Share a file with everyone' }, fileInput, 'Attach file'))));
  const lobby = el('ul', { class: 'list', 'aria-label': 'Waiting room' });
  const peoplePanel = el('section', { class: 'panel', 'aria-label': 'People', hidden: true },
    el('div', { class: 'messages' }, lobby, people));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      chatPanel.querySelector('form').requestSubmit();
    }
  });
  const selectTab = (tab) => {
    state.tab = tab;
    chatTab.setAttribute('aria-selected', String(tab === 'chat'));
    peopleTab.setAttribute('aria-selected', String(tab === 'people'));
    chatPanel.hidden = tab !== 'chat';
    peoplePanel.hidden = tab !== 'people';
    if (tab === 'chat') {
      state.unread = 0;
      chatTab.textContent = 'Chat';
    }
  };
  chatTab.addEventListener('click', () => selectTab('chat'));
  peopleTab.addEventListener('click', () => selectTab('people'));

  const micButton = el('button', { type: 'button' });
  const camButton = el('button', { type: 'button' });
  const shareButton = el('button', { type: 'button', class: 'secondary' });
  const handButton = el('button', { type: 'button', class: 'secondary' });
  const reactions = el('select', { 'aria-label': 'Send a reaction' }, el('option', { value: '', text: 'React…' }),
    ['👍', '👏', '❤️', '😂', '😮', '🎉', '🙏', '👋'].map((e) => el('option', { value: e, text: e })));
  const leave = el('button', { type: 'button', class: 'danger', text: 'Leave' });
  const endAll = el('button', { type: 'button', class: 'danger', text: 'End for all' });
  // Locking and roles are REST calls with the host's account, so only signed-in moderators get these.
  const manages = state.moderator && Boolean(session());
  const lockButton = el('button', { type: 'button', class: 'secondary', text: 'Lock meeting', hidden: !manages,
    'aria-pressed': 'false' });
  lockButton.addEventListener('click', async () => {
    const locking = lockButton.getAttribute('aria-pressed') !== 'true';
    try {
      const answer = await call('POST', `/api/v1/meetings/${meetingId}/${locking ? 'lock' : 'unlock'}`);
      lockButton.setAttribute('aria-pressed', String(answer.locked));
      lockButton.textContent = answer.locked ? 'Unlock meeting' : 'Lock meeting';
      toast(answer.locked ? 'Meeting locked: nobody new can join.' : 'Meeting unlocked.');
    } catch (error) {
      toast(error.message);
    }
  });

  const tiles = new Map();
  const tile = (id, name) => {
    if (!tiles.has(id)) {
      const video = el('video', { autoplay: true, playsinline: true, muted: id === state.me });
      const label = el('span', { class: 'name', text: name });
      const box = el('div', { class: 'tile' + (id === state.speaker ? ' speaking' : ''), 'data-participant': id },
        video, label);
      tiles.set(id, { box, video, label });
      grid.append(box);
      arrange();
    }
    return tiles.get(id);
  };

  // Speaker view: a screen share takes the stage, else the active speaker (the last other one while we speak
  // ourselves), else the first other person; everyone else goes to the strip below it.
  const layoutButton = el('button', { type: 'button', class: 'secondary', text: 'Speaker view',
    'aria-pressed': String(state.layout === 'speaker'), title: 'Show the active speaker large' });
  const arrange = () => {
    const speaker = state.layout === 'speaker';
    grid.classList.toggle('speaker', speaker);
    grid.dataset.layout = state.layout;
    layoutButton.setAttribute('aria-pressed', String(speaker));
    const ids = [...tiles.keys()];
    const screens = ids.filter((id) => id.endsWith(':screen'));
    const featured = screens.length ? screens[screens.length - 1]
      : [state.speaker, state.lastSpeaker].find((id) => id && id !== state.me && tiles.has(id))
        || ids.find((id) => id !== state.me) || ids[0];
    state.featured = speaker ? featured : null;
    for (const [id, t] of tiles) t.box.classList.toggle('featured', speaker && id === featured);
  };
  layoutButton.addEventListener('click', () => {
    state.layout = state.layout === 'speaker' ? 'grid' : 'speaker';
    try {
      localStorage.setItem(LAYOUT_KEY, state.layout);
    } catch {
      // storage disabled: the choice lasts for this meeting only
    }
    arrange();
  });

  const renderButtons = () => {
    micButton.textContent = state.audioMuted ? 'Unmute' : 'Mute';
    micButton.setAttribute('aria-pressed', String(state.audioMuted));
    camButton.textContent = state.videoMuted ? 'Start video' : 'Stop video';
    camButton.setAttribute('aria-pressed', String(state.videoMuted));
    shareButton.textContent = state.sharing ? 'Stop sharing' : 'Share screen';
    handButton.textContent = state.hand ? 'Lower hand' : 'Raise hand';
    endAll.hidden = !state.moderator;
  };
  const reportMedia = () => {
    state.local?.getAudioTracks().forEach((t) => { t.enabled = !state.audioMuted; });
    state.local?.getVideoTracks().forEach((t) => { t.enabled = !state.videoMuted; });
    state.media?.setMuted('audio', state.audioMuted);
    state.media?.setMuted('video', state.videoMuted);
    state.channel.send({ type: 'media.state', audio_muted: state.audioMuted, video_muted: state.videoMuted,
      sharing: state.sharing });
    renderButtons();
  };

  // One person's line in the People list: a summary (refreshed on every update) and the moderator's controls.
  const personLine = (p) => {
    const id = p.participant_id;
    const nameNow = () => state.roster.get(id)?.name || p.name;
    const summary = el('div', {});
    const line = el('li', {}, summary,
      state.moderator && id !== state.me ? el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', text: 'Mute', onclick: () => state.channel.send(
          { type: 'host.mute', participant_id: id, kind: 'audio' }) }),
        el('button', { type: 'button', class: 'secondary', text: 'Stop video', onclick: () => state.channel.send(
          { type: 'host.mute', participant_id: id, kind: 'video' }) }),
        manages && p.role === 'participant' ? el('button', { type: 'button', class: 'secondary', text: 'Make co-host',
          onclick: async () => {
            try {
              await call('PUT', `/api/v1/meetings/${meetingId}/participants/${id}/role`, { role: 'co_host' });
              toast(`${nameNow()} is a co-host from their next join.`);
            } catch (error) {
              toast(error.message);
            }
          } }) : null,
        p.role !== 'host' ? el('button', { type: 'button', class: 'danger', text: 'Remove', onclick: () => {
          if (confirm(`Remove ${nameNow()} from the meeting?`)) {
            state.channel.send({ type: 'host.remove', participant_id: id });
          }
        } }) : null) : null);
    line.summary = summary;
    return line;
  };

  const renderPeople = () => {
    const entries = [...state.roster.values()];
    // Each person's line is kept while their controls stay the same; only its text is refreshed, so a moderator's
    // click on Mute is not lost to a connection-quality update arriving between press and release.
    const lines = reconcile(people, [...entries.map((p) => ({ key: p.participant_id,
      version: JSON.stringify([state.moderator, manages, p.role, p.participant_id === state.me]),
      build: () => personLine(p) })),
    ...(state.moderator ? [{ key: 'mute-all', version: '', build: () => el('li', {}, el('button',
      { type: 'button', class: 'secondary', text: 'Mute everyone',
        onclick: () => state.channel.send({ type: 'host.mute_all' }) })) }] : [])]);
    for (const p of entries) {
      lines.get(p.participant_id).node.summary.replaceChildren(
        el('strong', { text: p.name }), ' ', el('span', { class: 'badge', text: p.role.replace('_', '-') }),
        el('div', { class: 'muted', text: [p.audio_muted ? 'muted' : 'mic on', p.video_muted ? 'camera off' : 'camera on',
          p.sharing ? 'sharing' : null, p.hand_raised ? '✋ hand raised' : null].filter(Boolean).join(' · ') }),
        qualityBadge(p.connection_quality));
    }
    peopleTab.textContent = `People (${entries.length})`;
    // Rebuilt only when the people in it change: rebuilding closes a dropdown the user has open.
    const others = entries.filter((p) => p.participant_id !== state.me);
    const recipientsKey = JSON.stringify(others.map((p) => [p.participant_id, p.name]));
    if (recipientsKey !== state.recipientsKey) {
      state.recipientsKey = recipientsKey;
      const chosen = recipient.value;
      recipient.replaceChildren(el('option', { value: '', text: 'Everyone' }),
        ...others.map((p) => el('option', { value: p.participant_id, text: `${p.name} (private)` })));
      recipient.value = state.roster.has(chosen) ? chosen : '';
    }
    for (const p of entries) {
      const t = tile(p.participant_id, p.name);
      tiles.get(`${p.participant_id}:screen`)?.label.replaceChildren(`${p.name} (screen)`);
      t.label.textContent = p.name + (p.participant_id === state.me ? ' (you)' : '') + (p.audio_muted ? ' 🔇' : '')
        + (p.video_muted ? ' 📷✕' : '') + (p.sharing ? ' 🖥' : '') + (p.hand_raised ? ' ✋' : '');
    }
    for (const [id, t] of tiles) {
      if (!state.roster.has(id.split(':')[0])) {
        t.box.remove();
        tiles.delete(id);
      }
    }
    arrange();
  };

  // Our own connection quality goes to everyone's participants panel: only when the level changes, and at most
  // once every 10 s (the latest level is sent when the pause ends). A new channel connection starts unreported.
  const QUALITY_REPORT_INTERVAL_MS = 10_000;
  const reportQuality = () => {
    if (!state.quality || state.quality === state.reportedQuality || state.qualityTimer) return;
    const wait = (state.qualityReportedAt || 0) + QUALITY_REPORT_INTERVAL_MS - Date.now();
    if (wait > 0) {
      state.qualityTimer = setTimeout(() => { state.qualityTimer = null; reportQuality(); }, wait);
      return;
    }
    if (state.channel.send({ type: 'connection.quality', level: state.quality })) {
      state.reportedQuality = state.quality;
      state.qualityReportedAt = Date.now();
    }
  };

  const shown = new Set();
  const addMessage = (m) => {
    if (shown.has(m.message_id)) return;
    shown.add(m.message_id);
    const mine = m.user_id === state.me;
    messages.append(el('div', { class: 'message' + (m.to ? ' private' : ''), 'data-message-id': m.message_id },
      el('div', {}, el('span', { class: 'who', text: mine ? `${m.name} (you)` : m.name }), ' ',
        el('span', { class: 'when', text: when(m.timestamp) })),
      el('div', { class: 'text' }, linkified(m.message))));
    messages.scrollTop = messages.scrollHeight;
    if (state.tab !== 'chat' && !mine) {
      state.unread += 1;
      chatTab.textContent = `Chat (${state.unread})`;
    }
  };

  const sharedFiles = new Set();
  const addFile = (f) => {
    if (sharedFiles.has(f.file_id)) return;
    sharedFiles.add(f.file_id);
    const mine = f.uploaded_by === state.me;
    messages.append(el('div', { class: 'message file', 'data-file-id': f.file_id },
      el('div', {}, el('span', { class: 'who', text: mine ? `${f.uploader_name} (you)` : f.uploader_name }), ' ',
        el('span', { class: 'when', text: when(f.timestamp) })),
      el('div', { class: 'text' }, '📎 ', el('a', { href: f.url, download: f.name, text: f.name }),
        el('span', { class: 'muted', text: ` (${size(f.size)})` }))));
    messages.scrollTop = messages.scrollHeight;
    if (state.tab !== 'chat' && !mine) {
      state.unread += 1;
      chatTab.textContent = `Chat (${state.unread})`;
    }
  };

  // Recording: a red badge everyone sees while the meeting is recorded (announced to screen readers), a notice with
  // "Got it" for people in the room when it starts (their acknowledgement is stored), and for hosts and co-hosts
  // who are signed in (a REST call with their account) a Record / Stop recording button.
  const records = state.grant.permissions.includes('record') && Boolean(session());
  const recordingBadge = el('span', { class: 'badge recording', 'data-recording': 'off', hidden: true },
    '● Recording');
  const recordingAnnouncer = el('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'assertive' });
  const recordButton = el('button', { type: 'button', class: 'secondary', hidden: !records,
    'data-action': 'record', text: 'Record' });
  const recordingNotice = el('div', { class: 'recording-notice', role: 'alert', hidden: true },
    el('span', { text: 'This meeting is now being recorded.' }), ' ',
    el('button', { type: 'button', text: 'Got it', onclick: () => acknowledgeRecording() }));
  const acknowledgeRecording = () => {
    recordingNotice.hidden = true;
    if (state.recording && state.acknowledged !== state.recording.recording_id
      && state.channel.send({ type: 'recording.acknowledge', recording_id: state.recording.recording_id })) {
      state.acknowledged = state.recording.recording_id;
    }
  };
  const applyRecording = (recording, { byMe = false, toldBefore = false } = {}) => {
    const was = state.recording?.recording_id;
    state.recording = recording;
    recordingBadge.hidden = !recording;
    recordingBadge.dataset.recording = recording ? 'on' : 'off';
    recordButton.textContent = recording ? 'Stop recording' : 'Record';
    recordButton.className = recording ? 'danger' : 'secondary';
    if ((recording?.recording_id || null) !== (was || null)) {
      recordingAnnouncer.textContent = recording ? 'Recording started: this meeting is being recorded.'
        : 'Recording stopped.';
    }
    if (!recording) {
      recordingNotice.hidden = true;
    } else if (byMe || toldBefore) {
      acknowledgeRecording();
    } else if (state.acknowledged !== recording.recording_id) {
      recordingNotice.hidden = false;
    }
  };
  recordButton.addEventListener('click', async () => {
    const action = state.recording ? 'stop' : 'start';
    recordButton.disabled = true;
    try {
      const answer = await call('POST', `/api/v1/meetings/${meetingId}/recording/${action}`,
        { user_id: session().userId });
      applyRecording(action === 'start' ? { recording_id: answer.recording_id } : null, { byMe: true });
    } catch (error) {
      // 409: someone else started or stopped it meanwhile; the channel's event brings the badge in line.
      toast(`Could not ${action} recording: ${error.message}`);
    } finally {
      recordButton.disabled = false;
    }
  });

  // Live captions: the overlay over the stage, the viewer's CC toggle, the indicator, the host's switch.
  const captions = new Captions({ moderator: state.moderator, send: (message) => state.channel.send(message),
    nameOf: (participantId) => state.roster.get(participantId)?.name });
  state.captions = captions;

  // A fresh join token for a reconnect: a guest admitted from the lobby presents their rejoin identity and goes
  // straight back in as the same participant (the channel then resumes after the last message seen).
  const rejoin = async () => {
    const signedIn = Boolean(session());
    const body = signedIn ? { user_id: session().userId } : { display_name: grant.display_name };
    if (grant.options?.passcode) body.passcode = grant.options.passcode;
    const answer = await call('POST', `/api/v1/meetings/${meetingId}/join`, withRejoinIdentity(meetingId, body),
      { auth: signedIn });
    if (answer.status === 'lobby') throw new Error('waiting in the lobby');
    return answer.join_token;
  };

  state.channel = new Channel(grant.join_token, rejoin, {
    status: (text) => { status.textContent = text; },
    closed: (reason) => {
      const text = { removed: 'The host removed you from the meeting.', ended: 'The host ended the meeting.',
        refused: 'You cannot rejoin this meeting: join again from its link.' }[reason];
      leaveRoom();
      show(el('h1', { text: 'You left the meeting' }), el('p', { text }), el('p', {}, el('a', { href: '#/',
        text: 'Back to your meetings' })));
    },
    event: (m) => {
      switch (m.type) {
        case 'welcome':
          state.roster = new Map(m.roster.map((p) => [p.participant_id, p]));
          m.messages.forEach(addMessage);
          (m.files || []).forEach(addFile);
          renderPeople();
          reportMedia();
          state.reportedQuality = null;
          reportQuality();
          state.channel.send({ type: 'broadcast.state' });
          // Told on the join page before entering ("Got it"): that was the acknowledgement.
          applyRecording(m.recording || null, { toldBefore: Boolean(grant.options?.recordingAcknowledged) });
          captions.applyState(m.captions?.enabled);
          break;
        case 'captions.state':
          captions.applyState(m.enabled);
          break;
        case 'caption':
          captions.show(m);
          break;
        case 'recording.started':
          applyRecording({ recording_id: m.recording_id, started_at: m.started_at }, { byMe: m.by === state.me });
          break;
        case 'recording.stopped':
          if (state.recording?.recording_id === m.recording_id) applyRecording(null);
          break;
        case 'recording.acknowledged':
          break;
        case 'broadcast.state':
          applyBroadcast(m.broadcast);
          break;
        case 'participant.joined':
        case 'participant.updated':
          state.roster.set(m.participant.participant_id, m.participant);
          renderPeople();
          break;
        case 'participant.left':
        case 'participant.removed':
          state.roster.delete(m.participant_id);
          renderPeople();
          break;
        case 'chat.message':
          addMessage(m.message);
          break;
        case 'chat.history':
          m.messages.forEach(addMessage);
          break;
        case 'file.upload':
          upload(m);
          break;
        case 'file.shared':
          addFile(m.file);
          break;
        case 'reaction': {
          const who = state.roster.get(m.participant_id);
          const float = el('div', { class: 'reaction-float', 'aria-label': `${who ? who.name : 'Someone'} reacted`,
            text: m.emoji });
          document.body.append(float);
          setTimeout(() => float.remove(), 2000);
          break;
        }
        case 'control.mute':
          if (m.kind === 'audio') state.audioMuted = true;
          else state.videoMuted = true;
          toast(m.kind === 'audio' ? 'The host muted you.' : 'The host stopped your video.');
          reportMedia();
          break;
        case 'error':
          // A plain meeting has no broadcast: the question asked on every welcome is answered not_a_town_hall.
          if (m.request_type === 'broadcast.state' && m.code === 'not_a_town_hall') break;
          if (m.request_type === 'captions.set') {
            captions.failed(m);
            break;
          }
          toast(m.message);
          break;
        default:
      }
    },
  });

  micButton.addEventListener('click', () => { state.audioMuted = !state.audioMuted; reportMedia(); });
  camButton.addEventListener('click', () => { state.videoMuted = !state.videoMuted; reportMedia(); });
  handButton.addEventListener('click', () => {
    state.hand = !state.hand;
    state.channel.send({ type: state.hand ? 'hand.raise' : 'hand.lower' });
    renderButtons();
  });
  reactions.addEventListener('change', () => {
    if (reactions.value) state.channel.send({ type: 'reaction', emoji: reactions.value });
    reactions.value = '';
  });
  shareButton.addEventListener('click', async () => {
    try {
      if (state.sharing) {
        state.media?.stopScreen();
        state.sharing = false;
      } else {
        if (!state.media) throw new Error('Screen sharing needs the media connection.');
        await state.media.shareScreen(() => { state.sharing = false; reportMedia(); });
        state.sharing = true;
      }
      reportMedia();
    } catch (error) {
      toast(error.message);
    }
  });
  leave.addEventListener('click', () => { leaveRoom(); location.hash = '#/'; });

  // Hosts see who waits in the lobby and let them in (signed-in hosts only: the lobby API takes their token).
  const refreshLobby = async () => {
    try {
      const listing = await call('GET', `/api/v1/meetings/${meetingId}/lobby`);
      const waiting = listing.waiting.filter((w) => !w.admitted);
      // Re-render only when the list changed: a button replaced under the host's pointer or focus is lost.
      const key = waiting.map((w) => `${w.participant_id}:${w.display_name}`).join('\n');
      if (key === state.lobbyKey) return;
      state.lobbyKey = key;
      lobby.replaceChildren(...(waiting.length ? [el('li', {}, el('strong', { text: `Waiting room (${waiting.length})` }))]
        : []), ...waiting.map((w) => el('li', {}, el('span', { text: w.display_name }), el('div', { class: 'row' },
        el('button', { type: 'button', text: 'Admit', onclick: async () => {
          await call('POST', `/api/v1/meetings/${meetingId}/lobby/${w.participant_id}/admit`);
          refreshLobby();
        } }),
        el('button', { type: 'button', class: 'secondary', text: 'Deny', onclick: async () => {
          await call('POST', `/api/v1/meetings/${meetingId}/lobby/${w.participant_id}/deny`);
          refreshLobby();
        } })))));
      if (waiting.length && state.lobbyCount !== waiting.length) toast(`${waiting.length} waiting to join`);
      state.lobbyCount = waiting.length;
    } catch {
      // not a host of this meeting, or offline for a moment
    }
  };
  const pollLobby = async () => {
    if (current !== state) return;
    await refreshLobby();
    setTimeout(pollLobby, 3000);
  };
  if (state.moderator && session()) pollLobby();
  endAll.addEventListener('click', () => {
    if (confirm('End the meeting for everyone?')) state.channel.send({ type: 'host.end' });
  });

  // Town halls: everyone on the stage sees whether the broadcast is live; hosts and co-hosts (signed in: it is a REST
  // call with their account) start and stop it. A plain meeting answers broadcast.state with not_a_town_hall and
  // shows none of this.
  const BROADCAST_LABELS = { idle: 'Broadcast not started', live: '● Broadcasting live', stopped: 'Broadcast ended' };
  const broadcastState = el('span', { class: 'badge broadcast-state', role: 'status', 'data-broadcast': 'unknown',
    hidden: true });
  const broadcastButton = el('button', { type: 'button', hidden: true, 'data-action': 'broadcast' });
  const broadcastError = el('span', { class: 'error', role: 'alert', 'data-error': 'broadcast', hidden: true });
  const broadcastBar = el('div', { class: 'controls broadcast', hidden: true }, broadcastState, broadcastButton,
    broadcastError);
  const applyBroadcast = (broadcast) => {
    state.broadcast = broadcast;
    broadcastBar.hidden = false;
    broadcastState.hidden = false;
    broadcastState.dataset.broadcast = broadcast.state;
    broadcastState.textContent = BROADCAST_LABELS[broadcast.state] || broadcast.state;
    const live = broadcast.state === 'live';
    broadcastButton.hidden = !manages;
    broadcastButton.textContent = live ? 'Stop broadcast' : 'Start broadcast';
    broadcastButton.className = live ? 'danger' : '';
  };
  broadcastButton.addEventListener('click', async () => {
    const action = state.broadcast?.state === 'live' ? 'stop' : 'start';
    broadcastButton.disabled = true;
    broadcastError.hidden = true;
    try {
      // No toast: the badge beside the button (role=status) says it, and a toast would cover the button.
      applyBroadcast(await call('POST', `/api/v1/meetings/${meetingId}/broadcast/${action}`));
    } catch (error) {
      // fetch() rejects with a TypeError when the request never reached the server.
      const why = error instanceof TypeError ? 'the server cannot be reached; check your connection' : error.message;
      broadcastError.textContent = `Could not ${action} the broadcast: ${why}`;
      broadcastError.hidden = false;
    } finally {
      broadcastButton.disabled = false;
    }
  });

  const main = show(el('h1', { class: 'muted room-title', text: `Meeting ${meetingId}` }),
    el('div', { class: 'room' },
      el('div', { class: 'stage' }, el('div', { class: 'stage-view' }, grid, captions.overlay),
        el('div', { class: 'controls' }, micButton, camButton, shareButton,
          layoutButton, handButton, reactions, captions.toggle, captions.control, lockButton, recordButton, leave,
          endAll, recordingBadge, captions.indicator, status, mediaStatus, quality, recordingAnnouncer),
        captions.error, recordingNotice, broadcastBar),
      el('div', { class: 'side' }, el('div', { class: 'tabs', role: 'tablist' }, chatTab, peopleTab), chatPanel,
        peoplePanel)));
  main.className = 'wide';
  renderButtons();
  arrange();

  // Media: camera and microphone to the SFU, everyone else's tracks into their tiles.
  try {
    const devices = grant.options || {};
    state.local = await navigator.mediaDevices.getUserMedia({
      audio: devices.audioDeviceId ? { deviceId: { exact: devices.audioDeviceId } } : true,
      video: { width: 1280, height: 720, ...(devices.videoDeviceId ? { deviceId: { exact: devices.videoDeviceId } } : {}) },
    });
    const mine = tile(state.me, 'You');
    mine.video.srcObject = state.local;
    reportMedia();
  } catch {
    toast('No camera or microphone: you are in the meeting without them.');
  }
  if (grant.signaling_url && current === state) {
    const nameOf = (participantId) => state.roster.get(participantId)?.name || '…';
    const mediaHandlers = {
      track: (participantId, stream, group) => {
        const t = group === 'screen' ? tile(`${participantId}:screen`, `${nameOf(participantId)} (screen)`)
          : tile(participantId, nameOf(participantId));
        if (t.video.srcObject !== stream) t.video.srcObject = stream;
      },
      gone: (participantId, group) => {
        const id = group === 'screen' ? `${participantId}:screen` : participantId;
        tiles.get(id)?.box.remove();
        tiles.delete(id);
        arrange();
      },
      status: (text) => {
        mediaStatus.textContent = text === 'connected' ? 'media connected' : text;
        state.mediaLog.push(`${new Date().toISOString()} ${text}`); // for the console: what happened to media
      },
      // The SFU names the loudest participant; their tile gets the highlight.
      activeSpeaker: (participantId) => {
        state.speaker = participantId;
        if (participantId !== state.me) state.lastSpeaker = participantId;
        for (const [id, t] of tiles) t.box.classList.toggle('speaking', id === participantId);
        arrange();
      },
      quality: (level, details) => {
        quality.dataset.quality = level;
        quality.textContent = `● ${level}`;
        quality.title = `Connection ${level}` + (details.rttMs !== null ? `: ${details.rttMs} ms round trip` : '')
          + `, ${details.lossPct} % lost`;
        quality.setAttribute('aria-label', quality.title);
        state.quality = level;
        reportQuality();
      },
      // After a network blip the page joins the SFU again with a fresh token (a few tries, then it gives up).
      lost: () => {
        quality.dataset.quality = 'poor';
        quality.textContent = '● reconnecting';
        state.quality = 'poor';
        reportQuality();
        const retry = async (attempt) => {
          if (current !== state) return;
          try {
            state.media = new Media({ ...grant, join_token: await rejoin() }, state.local, mediaHandlers);
          } catch (error) {
            if (attempt < 5) setTimeout(() => retry(attempt + 1), 2000 * attempt);
            else mediaStatus.textContent = `media unavailable: ${error.message}`;
          }
        };
        setTimeout(() => retry(1), 1000 + Math.random() * 1000);
      },
    };
    state.media = new Media(grant, state.local, mediaHandlers);
  }
}
