// One recording (#/recordings/ID): the composed MP4 through a signed, expiring URL (POST .../playback; the media
// origin checks the signature and serves byte ranges, so the video seeks), a scrub bar that previews frames from
// the thumbnails sprite (WebVTT cues "thumbnails.jpg#xywh=x,y,w,h" relative to the .vtt, each sprite URL signed by
// appending "?" + signed_query), per-file downloads, and for those who may manage it (host, co-hosts, admins):
// sharing with the participants, legal hold and deletion. Beside the player, the transcript panel (transcript.js);
// ?t=SECONDS in the route starts the video there (links from the transcript search).
import { ApiError, call, role, session } from '../api.js';
import { el, show, toast, when } from '../ui.js';
import { bytes, day, duration, explain, meetingTitle, statusBadge } from './recordings.js';
import { transcriptPanel } from './transcript.js';

/** How often a recording that is still recording or processing is looked at again while its page is open. */
const REFRESH_MS = 15_000;

/** Parses a WebVTT timestamp ("01:02:03.456" or "02:03.456") into seconds; NaN when it is not one. */
export function vttTime(text) {
  const match = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1] || 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(match[4]) / 1000;
}

/**
 * The thumbnail cues of a WebVTT file: [{start, end, url, x, y, w, h}], the sprite URL resolved against
 * {@code vttUrl} with {@code signedQuery} appended. Cues without a "#xywh=" fragment are skipped.
 */
export function parseThumbnails(vtt, vttUrl, signedQuery) {
  const cues = [];
  for (const block of vtt.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing < 0 || timing + 1 >= lines.length) continue;
    const [startText, rest] = lines[timing].split('-->');
    const start = vttTime(startText);
    const end = vttTime(rest.trim().split(/\s+/)[0]);
    const target = lines[timing + 1].trim();
    const hash = target.lastIndexOf('#xywh=');
    if (Number.isNaN(start) || Number.isNaN(end) || hash < 0) continue;
    const box = target.slice(hash + 6).split(',').map(Number);
    if (box.length !== 4 || box.some((n) => !Number.isFinite(n) || n < 0)) continue;
    const url = new URL(target.slice(0, hash), vttUrl);
    if (signedQuery) url.search = url.search ? `${url.search}&${signedQuery}` : `?${signedQuery}`;
    cues.push({ start, end, url: url.href, x: box[0], y: box[1], w: box[2], h: box[3] });
  }
  return cues;
}

function cueAt(cues, seconds) {
  let found = null;
  for (const cue of cues) {
    if (cue.start <= seconds) found = cue;
    if (cue.start <= seconds && seconds < cue.end) return cue;
  }
  return found;
}

/** Sends the browser to a file's signed download URL (the origin answers it as an attachment). */
function navigateTo(url, fileName) {
  const link = el('a', { href: url, download: fileName || true, rel: 'noopener' });
  document.body.append(link);
  link.click();
  link.remove();
}

export async function recordingPage(recordingId, query) {
  const path = `/api/v1/recordings/${encodeURIComponent(recordingId)}`;
  const hash = location.hash;
  let recording;
  try {
    recording = await call('GET', path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      show(el('h1', { text: 'Recording not found' }),
        el('p', { text: 'This recording does not exist, was deleted, or is not shared with you.' }),
        el('p', {}, el('a', { href: '#/recordings', text: 'Back to the recordings' })));
      return;
    }
    throw new Error(explain(error, 'The recording could not be loaded'));
  }
  const admin = role() === 'admin';
  const me = session().userId;
  const state = { recording, playback: null, cues: [], video: null, renewed: false };
  // For the browser console and the browser tests.
  window.tribuneRecording = state;
  const title = await meetingTitle(recording.meeting_id);

  const meta = el('p', { class: 'meta row' });
  const playerBox = el('section', { class: 'card', 'aria-label': 'Player' });
  const filesBox = el('section', { class: 'card' });
  const manageBox = el('section', { class: 'card' });
  const transcript = transcriptPanel(recordingId, { canManage: recording.can_manage === true, recording });
  const startAt = Number.parseFloat(new URLSearchParams(query || '').get('t'));
  if (Number.isFinite(startAt) && startAt >= 0) transcript.seekTo(startAt);

  function renderMeta() {
    const r = state.recording;
    meta.replaceChildren(...[statusBadge(r.status),
      el('span', { text: `Recorded ${when(r.started_at)}` }),
      el('span', { text: `Duration ${duration(r.duration_ms)}` }),
      el('span', { text: `Size ${bytes(r.size_bytes)}` }),
      el('span', { text: r.legal_hold ? 'Kept: legal hold' : `Kept until ${day(r.retention_until)}` }),
      r.legal_hold ? el('span', { class: 'badge hold', 'data-legal-hold': 'on', text: 'Legal hold' }) : null,
      r.shared_with_participants ? el('span', { class: 'badge', text: 'Shared with participants' }) : null]
      .filter(Boolean));
  }

  async function refresh() {
    state.recording = await call('GET', path);
    renderMeta();
    renderPlayer();
    renderFiles();
    renderManage();
  }

  function notice(kind, text, ...extra) {
    return el('div', { class: `notice ${kind}`, role: kind === 'error-notice' ? 'alert' : 'status',
      'data-player': kind }, el('p', { text }), ...extra);
  }

  function refreshButton() {
    const button = el('button', { type: 'button', class: 'secondary', text: 'Refresh' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await refresh();
      } catch (error) {
        toast(explain(error, 'Could not refresh'));
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  function scheduleRefresh() {
    clearTimeout(state.timer);
    state.timer = setTimeout(async () => {
      if (location.hash !== hash) return; // the page was left
      try {
        await refresh();
      } catch {
        scheduleRefresh();
      }
    }, REFRESH_MS);
  }

  function renderPlayer() {
    const r = state.recording;
    if (r.status === 'ready' && state.playback) return; // already playing; keep the video where it is
    state.video = null;
    if (r.status === 'recording' || r.status === 'processing') {
      playerBox.replaceChildren(notice('waiting', r.status === 'recording'
        ? 'This meeting is still being recorded. The video can be played a few minutes after recording stops.'
        : 'The video is being prepared. This usually takes a few minutes; this page checks again by itself.',
      el('div', { class: 'row' }, refreshButton())));
      scheduleRefresh();
      return;
    }
    if (r.status === 'failed') {
      playerBox.replaceChildren(notice('error-notice', `The recording failed: ${r.failure_reason || 'no reason '
        + 'was given'}. Any track files that were saved are listed below.`));
      return;
    }
    if (r.status !== 'ready') {
      playerBox.replaceChildren(notice('error-notice', `This recording cannot be played (${r.status}).`));
      return;
    }
    playerBox.replaceChildren(el('p', { class: 'muted', role: 'status', text: 'Preparing playback…' }));
    startPlayback();
  }

  async function startPlayback() {
    try {
      state.playback = await call('POST', `${path}/playback`);
    } catch (error) {
      state.playback = null;
      let text;
      if (error instanceof ApiError && error.code === 'recording_not_playable') {
        text = 'There is no composed video for this recording, so it cannot be played here. You can still '
          + 'download the separate track files below.';
      } else if (error instanceof ApiError && error.status === 403) {
        text = `You may not play this recording: ${error.message} Ask the meeting's host to share it with you.`;
      } else if (error instanceof ApiError && error.status === 404) {
        text = 'Playback is not available for this recording (the server did not find it). Refresh the page; if '
          + 'it was just deleted, go back to the recordings.';
      } else {
        text = explain(error, 'Playback could not start');
      }
      const settled = error instanceof ApiError && (error.code === 'recording_not_playable' || error.status === 403);
      playerBox.replaceChildren(notice('error-notice', text, settled ? null : el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', text: 'Try again', onclick: () => renderPlayer() }))));
      return;
    }
    buildPlayer(state.playback);
  }

  function buildPlayer(pass) {
    const video = el('video', { controls: true, preload: 'metadata', playsinline: true, poster: pass.poster_url,
      src: pass.video_url, 'aria-label': `Recording of ${title || 'the meeting'}` });
    state.video = video;
    transcript.attach(video);
    const range = el('input', { type: 'range', min: 0, max: 0, step: 0.1, value: 0, disabled: true,
      'aria-label': 'Seek', class: 'seek' });
    const clock = el('span', { class: 'time muted', 'aria-hidden': 'true', text: '0:00 / –' });
    const image = el('div', { class: 'thumb-image' });
    const label = el('span', { class: 'thumb-time' });
    const preview = el('div', { class: 'thumb-preview', hidden: true, 'aria-hidden': 'true' }, image, label);
    const scrub = el('div', { class: 'scrub' }, preview, range);
    const problem = el('div', { class: 'notice error-notice', role: 'alert', hidden: true });
    let dragging = false;
    let hovering = false;

    const total = () => (Number.isFinite(video.duration) ? video.duration : 0);
    function showPreview(seconds) {
      const at = Math.max(0, Math.min(seconds, total()));
      label.textContent = duration(at * 1000);
      const cue = cueAt(state.cues, at);
      image.hidden = !cue;
      if (cue) {
        image.style.width = `${cue.w}px`;
        image.style.height = `${cue.h}px`;
        image.style.backgroundImage = `url("${cue.url.replace(/"/g, '%22')}")`;
        image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
        image.dataset.cue = String(state.cues.indexOf(cue));
      }
      preview.hidden = false;
      // Centred over the point on the bar, kept inside it.
      const width = preview.offsetWidth;
      const bar = range.clientWidth;
      const x = total() ? (at / total()) * bar : 0;
      preview.style.left = `${Math.max(0, Math.min(bar - width, x - width / 2))}px`;
    }
    function hidePreview() {
      if (!dragging && !hovering && document.activeElement !== range) preview.hidden = true;
    }
    function fromPointer(event) {
      const box = range.getBoundingClientRect();
      return ((event.clientX - box.left) / box.width) * total();
    }
    range.addEventListener('pointermove', (event) => {
      hovering = true;
      if (!range.disabled) showPreview(dragging ? Number(range.value) : fromPointer(event));
    });
    range.addEventListener('pointerleave', () => {
      hovering = false;
      hidePreview();
    });
    range.addEventListener('pointerdown', () => {
      dragging = true;
    });
    // A drag may end outside the bar; the listener goes with the player (a later page has none).
    const dragEnd = () => {
      if (!range.isConnected) {
        window.removeEventListener('pointerup', dragEnd);
        return;
      }
      dragging = false;
      hidePreview();
    };
    window.addEventListener('pointerup', dragEnd);
    range.addEventListener('input', () => {
      video.currentTime = Number(range.value);
      showPreview(Number(range.value));
    });
    range.addEventListener('keyup', () => showPreview(Number(range.value)));
    range.addEventListener('blur', () => {
      preview.hidden = true;
    });
    const sync = () => {
      if (!dragging) range.value = String(video.currentTime);
      clock.textContent = `${duration(video.currentTime * 1000)} / ${total() ? duration(total() * 1000) : '–'}`;
      range.setAttribute('aria-valuetext', `${duration(video.currentTime * 1000)} of ${duration(total() * 1000)}`);
    };
    video.addEventListener('timeupdate', sync);
    video.addEventListener('durationchange', () => {
      range.max = String(total());
      range.disabled = !total();
      sync();
    });
    video.addEventListener('error', async () => {
      // A link that expired while the page was open: one fresh pass, resuming where the viewer was.
      const at = video.currentTime;
      if (!state.renewed) {
        state.renewed = true;
        try {
          const fresh = await call('POST', `${path}/playback`);
          state.playback = fresh;
          video.src = fresh.video_url;
          video.currentTime = at;
          loadThumbnails(fresh);
          return;
        } catch {
          // fall through to the message
        }
      }
      problem.replaceChildren(el('p', { text: 'The video could not be loaded. The link may have expired or the '
        + 'connection dropped.' }), el('button', { type: 'button', class: 'secondary', text: 'Reload the video',
        onclick: () => {
          state.renewed = false;
          state.playback = null;
          renderPlayer();
        } }));
      problem.hidden = false;
    });
    playerBox.replaceChildren(el('div', { class: 'player recording-player' }, video),
      el('div', { class: 'scrub-row' }, scrub, clock), problem,
      el('p', { class: 'muted small', text: `This playback link expires ${when(pass.expires_at)}. Views are `
        + 'recorded in the audit log.' }));
    loadThumbnails(pass);
  }

  async function loadThumbnails(pass) {
    state.cues = [];
    if (!pass.thumbnails_vtt_url) return;
    try {
      const response = await fetch(pass.thumbnails_vtt_url, { credentials: 'omit' });
      if (!response.ok) throw new Error(`${response.status}`);
      state.cues = parseThumbnails(await response.text(), pass.thumbnails_vtt_url, pass.signed_query);
      if (state.cues.length) new Image().src = state.cues[0].url; // fetch the sprite before the first hover
    } catch {
      state.cues = []; // the bar still seeks, without pictures
    }
  }

  function renderFiles() {
    const r = state.recording;
    const files = (r.files || []).filter((f) => f.kind === 'composed' || f.kind === 'track');
    const error = el('p', { class: 'error', role: 'alert' });
    const item = (f) => {
      const name = f.kind === 'composed' ? 'Composed video' : `Track ${f.track_id}`;
      const button = el('button', { type: 'button', class: 'secondary', text: 'Download',
        'aria-label': `Download ${name}`, 'data-file': f.kind === 'composed' ? 'composed' : f.track_id });
      button.addEventListener('click', async () => {
        button.disabled = true;
        error.textContent = '';
        try {
          const answer = await call('POST', `${path}/download`,
            { file: f.kind === 'composed' ? 'composed' : f.track_id });
          navigateTo(answer.url, answer.file_name);
        } catch (failure) {
          error.textContent = explain(failure, `${name} could not be downloaded`);
        } finally {
          button.disabled = false;
        }
      });
      return el('li', {}, el('div', {}, el('strong', { text: name }),
        el('div', { class: 'muted small', text: `${f.content_type} · ${bytes(f.size_bytes)}` })), button);
    };
    filesBox.replaceChildren(el('h2', { text: 'Files' }), files.length
      ? el('ul', { class: 'list files' }, files.map(item))
      : el('p', { class: 'muted', text: r.status === 'ready' || r.status === 'failed' ? 'No files were stored.'
        : 'The files are listed here once the recording is processed.' }), error);
  }

  function renderManage() {
    const r = state.recording;
    const canManage = r.can_manage ?? (admin || r.host_id === me);
    manageBox.hidden = !canManage;
    if (!canManage) return;
    const error = el('div', { class: 'notice error-notice', role: 'alert', 'data-error': 'manage', hidden: true });
    const fail = (text) => {
      error.replaceChildren(el('p', { text }));
      error.hidden = false;
      error.scrollIntoView({ block: 'nearest' });
    };
    const toggle = (name, label, checked, help, change) => {
      const helpId = 'h-' + Math.random().toString(36).slice(2);
      const box = el('input', { type: 'checkbox', name, checked, 'aria-describedby': helpId });
      box.addEventListener('change', async () => {
        box.disabled = true;
        error.hidden = true;
        try {
          state.recording = { ...state.recording, ...await change(box.checked) };
          box.disabled = false; // the same checkbox stays, with the keyboard focus on it
          renderMeta();
        } catch (failure) {
          box.checked = !box.checked;
          box.disabled = false;
          fail(failure instanceof ApiError && failure.status === 403
            ? `${failure.message} Only those allowed to manage this recording can change this.`
            : explain(failure, `Could not change "${label}"`));
        }
      });
      return el('div', { class: 'toggle' }, el('label', { class: 'check' }, box, label),
        el('p', { class: 'muted small', id: helpId, text: help }));
    };
    const remove = el('button', { type: 'button', class: 'danger', text: 'Delete recording' });
    remove.addEventListener('click', async () => {
      error.hidden = true;
      if (!confirm('Delete this recording and all its files? This cannot be undone.')) return;
      remove.disabled = true;
      try {
        await call('DELETE', path);
        toast('The recording was deleted.');
        location.hash = '#/recordings';
      } catch (failure) {
        remove.disabled = false;
        if (failure instanceof ApiError && failure.code === 'legal_hold') {
          fail('This recording is under legal hold, so it cannot be deleted. ' + (admin
            ? 'Release the legal hold above first, then delete it.'
            : 'Ask an admin to release the legal hold first.'));
        } else if (failure instanceof ApiError && failure.code === 'recording_in_progress') {
          fail('This meeting is still being recorded. Stop the recording in the meeting, then delete it.');
        } else {
          fail(explain(failure, 'The recording could not be deleted'));
        }
      }
    });
    manageBox.replaceChildren(...[el('h2', { text: 'Manage' }),
      typeof r.shared_with_participants === 'boolean'
        ? toggle('shared_with_participants', 'Share with the meeting\'s participants', r.shared_with_participants,
          'Participants can then find and play this recording. Views are recorded in the audit log.',
          (on) => call('PUT', `${path}/sharing`, { participants: on }))
        : null,
      // Only admins set or release a legal hold; the others who manage the recording see whether it holds.
      admin ? toggle('legal_hold', 'Legal hold', r.legal_hold, 'Keeps the recording past its retention date and '
        + 'blocks deletion until released.', (on) => call('PUT', `${path}/legal_hold`, { legal_hold: on }))
        : r.legal_hold ? el('p', { class: 'muted', text: 'Under legal hold: it is kept and cannot be deleted until '
          + 'an admin releases it.' }) : null,
      el('div', { class: 'row' }, remove), error].filter(Boolean));
  }

  const consents = recording.consents || [];
  renderMeta();
  show(el('p', { class: 'crumbs' }, el('a', { href: '#/recordings', text: '← All recordings' })),
    el('h1', { text: title ? `Recording: ${title}` : 'Recording' }), meta,
    el('div', { class: 'recording-layout' }, playerBox, transcript.node), filesBox, manageBox,
    consents.length ? el('section', { class: 'card' }, el('details', {},
      el('summary', { text: `Who was told it was recorded (${consents.length})` }),
      el('ul', { class: 'list' }, consents.map((c) => el('li', {},
        el('span', { text: c.display_name + (c.guest ? ' (guest)' : '') }),
        el('span', { class: 'muted', text: c.acknowledged_at ? `acknowledged ${when(c.acknowledged_at)}`
          : 'not acknowledged' })))))) : null);
  renderPlayer();
  renderFiles();
  renderManage();
}
