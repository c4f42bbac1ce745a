import { call, session } from '../api.js';
import { el, show, field, formError, submitting } from '../ui.js';

/** What the room page needs, handed over in sessionStorage (never in the URL: the token is a credential). */
export function keepGrant(grant) {
  sessionStorage.setItem(`tribune.grant.${grant.meeting_id}`, JSON.stringify({ ...grant, receivedAt: Date.now() }));
}

export function takeGrant(meetingId) {
  const key = `tribune.grant.${meetingId}`;
  const grant = JSON.parse(sessionStorage.getItem(key) || 'null');
  sessionStorage.removeItem(key);
  return grant;
}

/**
 * A guest the host let in from the lobby gets a rejoin secret; with the guest id it gets them back in without the
 * lobby for the rest of the meeting (a reconnect, a reload). Kept in this tab's sessionStorage, for this meeting only.
 */
export function rejoinIdentity(meetingId) {
  return JSON.parse(sessionStorage.getItem(`tribune.rejoin.${meetingId}`) || 'null');
}

function keepRejoinIdentity(grant) {
  if (grant.rejoin_secret && !grant.user_id) {
    sessionStorage.setItem(`tribune.rejoin.${grant.meeting_id}`,
      JSON.stringify({ participant_id: grant.participant_id, rejoin_secret: grant.rejoin_secret }));
  }
}

/** Adds the guest's rejoin identity for this meeting, if any, to a join request's body. */
export function withRejoinIdentity(meetingId, body) {
  const identity = body.user_id ? null : rejoinIdentity(meetingId);
  return identity ? { ...body, ...identity } : body;
}

let preview = null;

function stopPreview() {
  if (preview) preview.getTracks().forEach((track) => track.stop());
  preview = null;
}

/** Pre-join: camera preview, display name, join muted; then the join request (and the lobby if needed). */
export async function joinPage(meetingId) {
  const signedIn = Boolean(session());
  const name = el('input', { name: 'display_name', maxlength: 64, required: !signedIn,
    placeholder: signedIn ? 'your account name' : 'how others see you' });
  const passcode = el('input', { name: 'passcode', autocomplete: 'off' });
  const muted = el('input', { type: 'checkbox', name: 'muted' });
  const cameraOff = el('input', { type: 'checkbox', name: 'camera_off' });
  const video = el('video', { autoplay: true, muted: true, playsinline: true, 'aria-label': 'Your camera' });
  const status = el('p', { class: 'muted', role: 'status' });
  const error = formError();
  const button = el('button', { type: 'submit', text: 'Join meeting' });
  // The device lists are readable once the browser granted access; until then each offers the default device, so
  // the form keeps its layout (a Join button that moved as the lists appeared took a click meant for it).
  const camera = el('select', { name: 'camera', 'aria-label': 'Camera' },
    el('option', { value: '', text: 'Default camera' }));
  const microphone = el('select', { name: 'microphone', 'aria-label': 'Microphone' },
    el('option', { value: '', text: 'Default microphone' }));
  const devices = el('div', {}, field('Camera', camera), field('Microphone', microphone));
  // Preview with the chosen devices.
  const startPreview = async () => {
    stopPreview();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: microphone.value ? { deviceId: { exact: microphone.value } } : true,
        video: { width: 1280, height: 720, ...(camera.value ? { deviceId: { exact: camera.value } } : {}) } });
      preview = stream;
      video.srcObject = stream;
      const all = await navigator.mediaDevices.enumerateDevices();
      const fill = (select, kind, track) => {
        const chosen = track?.getSettings().deviceId || select.value;
        select.replaceChildren(...all.filter((d) => d.kind === kind).map((d, i) => el('option',
          { value: d.deviceId, text: d.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${i + 1}` })));
        select.value = chosen;
      };
      fill(camera, 'videoinput', stream.getVideoTracks()[0]);
      fill(microphone, 'audioinput', stream.getAudioTracks()[0]);
    } catch {
      devices.hidden = true;
      status.textContent = 'No camera or microphone available: you can still join and chat.';
    }
  };
  camera.addEventListener('change', startPreview);
  microphone.addEventListener('change', startPreview);
  if (navigator.mediaDevices) startPreview();
  else devices.hidden = true;
  show(el('h1', { text: 'Ready to join?' }), el('form', { class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    submitting(button, error, async () => {
      const body = signedIn ? { user_id: session().userId } : { display_name: name.value.trim() };
      if (signedIn && name.value.trim()) body.display_name = name.value.trim();
      if (passcode.value) body.passcode = passcode.value.trim();
      const answer = await call('POST', `/api/v1/meetings/${meetingId}/join`, withRejoinIdentity(meetingId, body),
        { auth: signedIn });
      // The passcode travels with the grant (this tab's sessionStorage until the room page takes it): reconnecting
      // asks for a new join token with it.
      const options = { muted: muted.checked, cameraOff: cameraOff.checked, videoDeviceId: camera.value || undefined,
        audioDeviceId: microphone.value || undefined, passcode: body.passcode };
      stopPreview();
      if (answer.status === 'lobby') {
        await waitInLobby(answer, status, options);
      } else {
        enter(answer, options);
      }
    });
  } }, el('div', { class: 'tile' }, video), devices, field('Display name', name), field('Passcode (if you were not invited)',
    passcode), el('label', { class: 'check' }, muted, 'Join with my microphone muted'),
  el('label', { class: 'check' }, cameraOff, 'Join with my camera off'), status, error, button));
}

/**
 * A meeting being recorded is announced before the person enters: "Got it" takes them in (their acknowledgement
 * goes to the server from the room, over the meeting channel); "Not now" leaves without joining.
 */
function enter(grant, options) {
  if (grant.recording && !options.recordingAcknowledged) {
    const gotIt = el('button', { type: 'button', text: 'Got it, join' });
    const notNow = el('button', { type: 'button', class: 'secondary', text: 'Not now' });
    gotIt.addEventListener('click', () => enter(grant, { ...options, recordingAcknowledged: true }));
    notNow.addEventListener('click', () => { location.hash = '#/'; });
    show(el('section', { class: 'card narrow recording-notice', role: 'alertdialog',
      'aria-labelledby': 'recording-notice-title', 'aria-describedby': 'recording-notice-text' },
    el('h1', { id: 'recording-notice-title', text: '● This meeting is being recorded' }),
    el('p', { id: 'recording-notice-text', text: 'Everything said and shown in the meeting is recorded. By joining you '
      + 'acknowledge that you will be part of the recording.' }),
    el('div', { class: 'row' }, gotIt, notNow)));
    gotIt.focus();
    return;
  }
  keepRejoinIdentity(grant);
  keepGrant({ ...grant, options });
  // A town hall's audience (its grant has an HLS URL instead of a signaling URL) watches instead of joining the room.
  location.hash = grant.hls_url ? `#/watch/${grant.meeting_id}` : `#/room/${grant.meeting_id}`;
}

async function waitInLobby(ticket, status, options) {
  status.textContent = ticket.reason === 'waiting_for_host'
    ? 'Waiting for the host to start the meeting…' : 'You are in the waiting room; the host will let you in soon.';
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, (ticket.poll_after_seconds || 2) * 1000));
    const answer = await call('GET', ticket.poll_url.replace(/^https?:\/\/[^/]+/, ''), undefined,
      { auth: false, headers: { 'X-Lobby-Token': ticket.lobby_token } });
    if (answer.status !== 'lobby') {
      enter(answer, options);
      return;
    }
  }
}

export function joinByNumberPage() {
  const number = el('input', { name: 'numeric_id', inputmode: 'numeric', required: true, pattern: '[0-9 ]+' });
  const passcode = el('input', { name: 'passcode', required: true, autocomplete: 'off' });
  const name = el('input', { name: 'display_name', maxlength: 64 });
  const error = formError();
  const button = el('button', { type: 'submit', text: 'Join' });
  show(el('form', { class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    submitting(button, error, async () => {
      const signedIn = Boolean(session());
      const body = { numeric_id: number.value.replace(/\s+/g, ''), passcode: passcode.value.trim() };
      if (signedIn) body.user_id = session().userId;
      if (name.value.trim()) body.display_name = name.value.trim();
      const answer = await call('POST', '/api/v1/meetings/join', body, { auth: signedIn });
      if (answer.status === 'lobby') await waitInLobby(answer, error, {});
      else enter(answer, {});
    });
  } }, el('h1', { text: 'Join with a meeting ID' }), field('Meeting ID', number), field('Passcode', passcode),
  field('Display name', name), error, button));
}
