// Transcripts in the recordings pages. On a recording (#/recordings/ID?t=SECONDS): a panel beside the player with
// the phrases (speaker, time), the one being spoken highlighted and kept in view while the video plays, a click on
// a phrase, chapter or summary item seeks the video there; the chapters; the summary (key points, action items,
// decisions); downloads as WebVTT, SRT and text (fetched with the bearer token, saved from a blob). On the list:
// full-text search over the transcripts the caller may read; each hit's snippet shows the matched words from the
// API's `parts` (always as text, never as markup) and links to the recording at that moment.
import { ApiError, call, session } from '../api.js';
import { el, when } from '../ui.js';
import { duration, explain } from './recordings.js';

const SEARCH_PAGE = 10;

/** While a recording is being transcribed, its status is asked again after this, doubling up to the maximum. */
const TRANSCRIBING_FIRST_CHECK_MS = 5_000;
const TRANSCRIBING_MAX_CHECK_MS = 30_000;

/** What a failed "Transcribe" request means for the person who clicked it. */
export function transcribeProblem(error) {
  if (!(error instanceof ApiError)) return explain(error, 'The recording could not be sent for transcription');
  switch (error.code) {
    case 'recording_not_ready':
      return 'The recording\'s files are still being prepared. Try again once the video plays.';
    case 'no_audio':
      return 'This recording has no audio track, so there is nothing to transcribe.';
    case 'meeting_gone':
      return 'The meeting of this recording was deleted, so its transcript cannot be stored.';
    case 'forbidden':
      return `${error.message} Ask the meeting's host or an admin to transcribe it.`;
    default:
      return explain(error, 'The recording could not be sent for transcription');
  }
}

/** A moment in the recording as the player shows it: whole seconds, rounded down (0.5 s is 0:00). */
function moment(ms) {
  return duration(Math.floor(ms / 1000) * 1000);
}

/** The index of the phrase being spoken at `ms`: the last one started by then (-1 before the first). */
export function segmentAt(segments, ms) {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (segments[middle].offset_ms <= ms) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** The file name of a Content-Disposition header, or `fallback`. */
function fileName(header, fallback) {
  const match = /filename="([^"]+)"/.exec(header || '');
  return match ? match[1] : fallback;
}

/** Downloads an API file with the bearer token (a plain link would carry none) and saves it from a blob. */
async function download(path, fallbackName) {
  const get = () => fetch(path, { headers: { Authorization: `Bearer ${session()?.token}` } });
  let response = await get();
  if (response.status === 401) {
    await call('GET', path.replace(/\?.*$/, '')); // refreshes the access token (or fails with the reason)
    response = await get();
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: fileName(response.headers.get('Content-Disposition'), fallbackName) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The transcript panel of a recording. `attach(video)` follows that video; `seekTo(seconds)` seeks it (or, before
 * there is a video, remembers where to start). Returns { node, attach, seekTo, state }.
 */
export function transcriptPanel(recordingId, { canManage = false, recording = null } = {}) {
  const recordingPath = `/api/v1/recordings/${encodeURIComponent(recordingId)}`;
  const path = `${recordingPath}/transcript`;
  const state = { transcript: null, segments: [], current: -1, video: null, pending: null, following: true,
    transcriptStatus: recording?.transcript_status || 'none', transcriptError: recording?.transcript_error || null,
    recordingStatus: recording?.status || null, timer: null };
  const node = el('section', { class: 'card transcript-panel', 'aria-label': 'Transcript' });
  const list = el('ol', { class: 'transcript-list', 'aria-label': 'Phrases', tabindex: '-1' });
  const status = el('p', { class: 'muted', role: 'status', text: 'Loading the transcript…' });
  const problem = el('p', { class: 'error', role: 'alert', hidden: true });
  node.append(el('h2', { text: 'Transcript' }), status, problem);

  function seek(ms) {
    const seconds = ms / 1000;
    if (state.video) {
      state.video.currentTime = seconds;
      state.following = true;
      highlight(ms);
    } else {
      state.pending = seconds;
    }
  }

  function at(ms, label) {
    return el('button', { type: 'button', class: 'link time', 'data-seek': String(ms),
      'aria-label': `${label} at ${moment(ms)}`, text: moment(ms), onclick: () => seek(ms) });
  }

  function phrase(segment) {
    const item = el('li', { 'data-segment': segment.segment_id, 'data-offset': String(segment.offset_ms) },
      el('button', { type: 'button', class: 'segment', 'aria-label': `${segment.name || 'Speaker'} at `
        + `${moment(segment.offset_ms)}: ${segment.text}` },
      el('span', { class: 'segment-meta' }, el('span', { class: 'who', text: segment.name || 'Speaker' }),
        el('span', { class: 'when muted', text: moment(segment.offset_ms) })),
      el('span', { class: 'text', text: segment.text })));
    item.firstChild.addEventListener('click', () => seek(segment.offset_ms));
    return item;
  }

  function summaryList(title, items, kind) {
    if (!items || items.length === 0) return null;
    return el('div', { class: 'summary-part', 'data-summary': kind }, el('h4', { text: title }),
      el('ul', { class: 'plain' }, items.map((item) => el('li', {}, at(item.offset_ms, title),
        el('span', { text: ` ${item.name ? item.name + ': ' : ''}${item.text}` })))));
  }

  function render(transcript) {
    state.transcript = transcript;
    state.segments = transcript.segments;
    status.textContent = '';
    if (transcript.segments.length === 0) {
      node.replaceChildren(...[el('h2', { text: 'Transcript' }), status, problem, transcribeControls()]
        .filter(Boolean));
      if (state.transcriptStatus === 'transcribing') {
        status.textContent = 'This recording is being transcribed. That takes a while for a long recording; the '
          + 'transcript appears here by itself when it is done.';
      } else {
        status.textContent = 'There is no transcript for this recording. Phrases appear here when captions were '
          + 'on during the meeting' + (canManage ? ', or once you transcribe the recording.' : '.');
      }
      return;
    }
    const downloads = el('div', { class: 'row downloads' }, el('span', { class: 'muted small', text: 'Download:' }),
      [['vtt', 'WebVTT'], ['srt', 'SRT'], ['txt', 'Text']].map(([format, label]) => {
        const button = el('button', { type: 'button', class: 'secondary small', 'data-download': format,
          text: label, 'aria-label': `Download the transcript as ${label}` });
        button.addEventListener('click', async () => {
          button.disabled = true;
          problem.hidden = true;
          try {
            await download(`${path}?format=${format}`, `transcript-${recordingId}.${format}`);
          } catch (error) {
            problem.textContent = explain(error, 'The transcript could not be downloaded');
            problem.hidden = false;
          } finally {
            button.disabled = false;
          }
        });
        return button;
      }));
    const transcribing = state.transcriptStatus === 'transcribing'
      ? el('p', { class: 'muted small', role: 'status', text: 'The recording is being transcribed again; the '
        + 'phrases below are replaced when it is done.' }) : null;
    const chapters = transcript.chapters.length > 1 ? el('details', { class: 'chapters', open: true },
      el('summary', { text: `Chapters (${transcript.chapters.length})` }),
      el('ol', { class: 'plain' }, transcript.chapters.map((c) => el('li', { 'data-chapter': String(c.offset_ms) },
        at(c.offset_ms, c.title), el('span', { text: ` ${c.title}` }))))) : null;
    const s = transcript.summary;
    const summary = s && (s.key_points.length || s.action_items.length || s.decisions.length)
      ? el('details', { class: 'summary' }, el('summary', { text: 'Summary' }),
        summaryList('Key points', s.key_points, 'key_points'),
        summaryList('Action items', s.action_items, 'action_items'),
        summaryList('Decisions', s.decisions, 'decisions'), canManage ? sendSummaryButton() : null) : null;
    list.replaceChildren(...transcript.segments.map(phrase));
    list.addEventListener('wheel', () => {
      state.following = false; // the viewer reads elsewhere; a click on a phrase or a seek follows again
    }, { passive: true });
    list.addEventListener('touchmove', () => {
      state.following = false;
    }, { passive: true });
    node.replaceChildren(...[el('h2', { text: 'Transcript' }), transcribing, downloads, problem, chapters, summary,
      list].filter(Boolean));
    if (state.video) highlight(state.video.currentTime * 1000);
    else if (state.pending !== null) highlight(state.pending * 1000);
  }

  /**
   * For those who manage the recording, while it has no transcript: the "Transcribe" button (or, after a failure,
   * the reason and "Try again"). Nothing for others, nor while it is being transcribed.
   */
  function transcribeControls() {
    if (!canManage || state.transcriptStatus === 'transcribing') return null;
    const failed = state.transcriptStatus === 'failed';
    const result = el('p', { class: 'error', role: 'alert', hidden: true });
    const button = el('button', { type: 'button', 'data-transcribe': '',
      text: failed ? 'Try transcribing again' : 'Transcribe',
      'aria-label': failed ? 'Try transcribing the recording again' : 'Transcribe the recording' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.hidden = true;
      try {
        const answer = await call('POST', `${recordingPath}/transcribe`);
        state.transcriptStatus = answer.transcript_status || 'transcribing';
        state.transcriptError = null;
        render(state.transcript);
        watch(TRANSCRIBING_FIRST_CHECK_MS);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'already_transcribing') {
          state.transcriptStatus = 'transcribing'; // someone else asked first: wait for theirs
          render(state.transcript);
          watch(TRANSCRIBING_FIRST_CHECK_MS);
          return;
        }
        result.textContent = transcribeProblem(error);
        result.hidden = false;
        button.disabled = false;
      }
    });
    const help = failed
      ? el('p', { class: 'notice error-notice', 'data-transcript-error': '', text: 'The last transcription failed: '
        + `${state.transcriptError || 'no reason was given'}. If a file is damaged, transcribing again fails the `
        + 'same way; otherwise try again.' })
      : el('p', { class: 'muted small', text: 'Transcribing turns the recorded speech into a transcript with '
        + 'speakers and times. It runs in the background; you can leave this page.' });
    return el('div', { class: 'transcribe' }, help, el('div', { class: 'row' }, button), result);
  }

  /** Looks at the recording's transcript status again after `delay` ms, politely (doubling), until it settles. */
  function watch(delay) {
    clearTimeout(state.timer);
    const hash = location.hash;
    state.timer = setTimeout(async () => {
      if (location.hash !== hash || !node.isConnected) return; // the page was left
      try {
        const fresh = await call('GET', recordingPath);
        state.transcriptStatus = fresh.transcript_status || 'none';
        state.transcriptError = fresh.transcript_error || null;
      } catch {
        watch(Math.min(delay * 2, TRANSCRIBING_MAX_CHECK_MS));
        return;
      }
      if (state.transcriptStatus === 'transcribing') {
        watch(Math.min(delay * 2, TRANSCRIBING_MAX_CHECK_MS));
      } else {
        load(); // ready: the phrases; failed: the reason and "Try again"
      }
    }, delay);
  }

  /** For those who manage the recording: mails the summary to the participants who acknowledged the recording. */
  function sendSummaryButton() {
    const result = el('p', { class: 'muted small', role: 'status' });
    const button = el('button', { type: 'button', class: 'secondary small', 'data-send-summary': '',
      text: 'Send the summary to participants' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      result.textContent = '';
      try {
        const answer = await call('POST', `${path}/summary/send`);
        result.textContent = answer.recipients === 0
          ? 'Nobody received it: only participants who acknowledged the recording with an account get it, '
            + 'by mail, browser notification or in Tribune as each of them chose.'
          : `Sent to ${answer.recipients} participant${answer.recipients === 1 ? '' : 's'} who acknowledged `
            + 'the recording. Sending again does not send it twice.';
      } catch (error) {
        result.textContent = explain(error, 'The summary could not be sent');
      } finally {
        button.disabled = false;
      }
    });
    return el('div', { class: 'send-summary' }, button, result);
  }

  /** Marks the phrase at `ms` and, while following, scrolls the list (only the list) to keep it in view. */
  function highlight(ms) {
    const index = segmentAt(state.segments, ms);
    const items = list.children;
    if (index !== state.current) {
      if (state.current >= 0 && items[state.current]) {
        items[state.current].classList.remove('current');
        items[state.current].removeAttribute('aria-current');
      }
      state.current = index;
      if (index >= 0 && items[index]) {
        items[index].classList.add('current');
        items[index].setAttribute('aria-current', 'true');
      }
    }
    // Also when the phrase did not change: it may have been marked before the list was laid out.
    if (state.following && index >= 0 && items[index] && list.clientHeight > 0) {
      const item = items[index];
      const top = item.offsetTop;
      if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 3);
      }
    }
  }

  function attach(video) {
    state.video = video;
    const follow = () => highlight(video.currentTime * 1000);
    video.addEventListener('timeupdate', follow);
    video.addEventListener('seeked', follow);
    video.addEventListener('play', () => {
      state.following = true; // playing again: follow the speech, even after the viewer scrolled away
    });
    if (state.pending !== null) {
      const start = state.pending;
      state.pending = null;
      const go = () => {
        video.currentTime = start;
        follow();
      };
      if (video.readyState >= 1) go();
      else video.addEventListener('loadedmetadata', go, { once: true });
    }
  }

  async function load() {
    try {
      render(await call('GET', path));
    } catch (error) {
      status.textContent = '';
      problem.textContent = error instanceof ApiError && error.status === 404
        ? 'The transcript is not available to you.' : explain(error, 'The transcript could not be loaded');
      problem.hidden = false;
    }
  }
  load();
  if (state.transcriptStatus === 'transcribing') watch(TRANSCRIBING_FIRST_CHECK_MS);
  // For the browser console and the browser tests.
  window.tribuneTranscript = state;
  return { node, attach, seekTo: (seconds) => seek(seconds * 1000), state };
}

/** The transcript search of the recordings page. */
export function transcriptSearch() {
  const input = el('input', { type: 'search', name: 'transcript-q', autocomplete: 'off', maxlength: '200',
    placeholder: 'Words, "a phrase", -excluded', 'aria-label': 'Search the transcripts' });
  const results = el('ol', { class: 'list search-results', 'aria-label': 'Transcript matches' });
  const summary = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'secondary', text: 'More matches', hidden: true });
  const form = el('form', { class: 'card transcript-search', role: 'search', 'aria-label': 'Search transcripts' },
    el('h2', { text: 'Search transcripts' }),
    el('div', { class: 'row search-row' }, input, el('button', { type: 'submit', text: 'Search' })),
    summary, results, more);
  let query = '';
  let page = 1;
  let searching = 0;

  function hit(item) {
    const seconds = Math.floor(item.offset_ms / 1000);
    const href = item.recording_id ? `#/recordings/${encodeURIComponent(item.recording_id)}?t=${seconds}`
      : `#/meetings/${encodeURIComponent(item.meeting_id)}`;
    // Each part is a text node or a <mark> with text: whatever the phrase says stays text.
    const snippet = el('span', { class: 'snippet' }, item.parts.map((part) => (part.match
      ? el('mark', { text: part.text }) : document.createTextNode(part.text))));
    return el('li', { 'data-hit': item.segment_id },
      el('div', {}, el('a', { href, text: item.meeting_title || 'Meeting', 'data-recording': item.recording_id }),
        el('div', { class: 'muted small', text: `${item.name || 'Speaker'} · ${moment(item.offset_ms)} · `
          + `${when(item.start)}${item.recording_id ? '' : ' · no recording'}` }),
        el('p', { class: 'snippet-line' }, snippet)));
  }

  async function search(append) {
    const mine = ++searching;
    summary.textContent = 'Searching…';
    try {
      const answer = await call('GET', `/api/v1/transcripts/search?q=${encodeURIComponent(query)}`
        + `&page=${page}&size=${SEARCH_PAGE}`);
      if (mine !== searching) return;
      if (!append) results.replaceChildren();
      results.append(...answer.items.map(hit));
      summary.textContent = answer.total === 0 ? `Nothing said in your meetings matches "${query}".`
        : `${answer.total} match${answer.total === 1 ? '' : 'es'} for "${query}"`;
      more.hidden = page * SEARCH_PAGE >= answer.total;
    } catch (error) {
      if (mine !== searching) return;
      summary.textContent = explain(error, 'The search failed');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    query = input.value.trim();
    page = 1;
    if (!query) {
      results.replaceChildren();
      summary.textContent = 'Type the words to look for.';
      more.hidden = true;
      return;
    }
    search(false);
  });
  more.addEventListener('click', () => {
    page += 1;
    search(true);
  });
  return form;
}
