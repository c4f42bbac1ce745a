import { call, session } from '../api.js';
import { el, show, field, formError, submitting, toast, when } from '../ui.js';

export async function dashboardPage() {
  const from = new Date(Date.now() - 7 * 86400_000).toISOString();
  const to = new Date(Date.now() + 60 * 86400_000).toISOString();
  const [listing, room] = await Promise.all([
    call('GET', `/api/v1/meetings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&size=100`),
    call('GET', `/api/v1/users/${session().userId}/personal-room`).catch(() => null),
  ]);
  const now = Date.now();
  const upcoming = listing.items.filter((m) => Date.parse(m.end_time) >= now);
  const past = listing.items.filter((m) => Date.parse(m.end_time) < now).reverse();
  const error = formError();
  const instant = el('button', { type: 'button', text: 'New meeting now' });
  instant.addEventListener('click', () => submitting(instant, error, async () => {
    const created = await call('POST', '/api/v1/meetings', { title: 'Instant meeting', start_now: true,
      host_id: session().userId, participants: [], settings: { lobby: false } });
    location.hash = `#/join/${created.meeting_id}`;
  }));
  const item = (m) => el('li', {},
    el('div', {}, el('a', { href: `#/meetings/${m.meeting_id}`, text: m.title }), ' ',
      m.kind === 'town_hall' ? el('span', { class: 'badge', text: 'town hall' }) : null,
      el('div', { class: 'muted', text: `${when(m.start_time)} – ${when(m.end_time)} · ${m.role}` })),
    el('a', { class: 'button secondary', href: `#/join/${m.meeting_id}`, text: 'Join' }));
  show(el('h1', { text: 'Your meetings' }),
    el('div', { class: 'card row' }, instant, el('a', { class: 'button secondary', href: '#/schedule',
      text: 'Schedule a meeting' }), el('a', { href: '#/join-number', text: 'Join with an ID' }), error),
    room ? el('section', { class: 'card' }, el('h2', { text: 'Your personal room' }),
      el('p', {}, 'Always open at ', el('code', { text: room.join_url }), ' · ID ', el('code', { text: room.numeric_id })),
      el('a', { class: 'button', href: `#/join/${room.meeting_id}`, text: 'Start personal room' })) : null,
    el('section', { class: 'card' }, el('h2', { text: 'Upcoming' }),
      upcoming.length ? el('ul', { class: 'list' }, upcoming.map(item))
        : el('p', { class: 'muted', text: 'Nothing scheduled. Schedule a meeting or start one now.' })),
    past.length ? el('section', { class: 'card' }, el('h2', { text: 'Past week' }),
      el('ul', { class: 'list' }, past.map(item))) : null);
}

function localInput(iso) {
  const date = iso ? new Date(iso) : new Date(Math.ceil(Date.now() / 1800_000) * 1800_000);
  const offset = date.getTimezoneOffset() * 60_000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 16);
}

export async function schedulePage(meetingId) {
  const existing = meetingId ? await call('GET', `/api/v1/meetings/${meetingId}`) : null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const title = el('input', { name: 'title', required: true, maxlength: 200, value: existing ? existing.title : '' });
  const start = el('input', { type: 'datetime-local', name: 'start', required: true,
    value: localInput(existing && existing.start_time) });
  const minutes = el('select', { name: 'duration' }, [15, 30, 45, 60, 90, 120].map((m) =>
    el('option', { value: m, text: `${m} minutes`, selected: m === 60 })));
  const timeZone = el('input', { name: 'time_zone', value: existing ? existing.time_zone : zone });
  const recurrence = el('select', { name: 'recurrence' },
    el('option', { value: '', text: 'Does not repeat' }),
    el('option', { value: 'FREQ=DAILY;COUNT=10', text: 'Daily (10 times)' }),
    el('option', { value: 'FREQ=WEEKLY;COUNT=10', text: 'Weekly (10 times)' }),
    el('option', { value: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=20', text: 'Every weekday (4 weeks)' }));
  const invitees = el('textarea', { name: 'participants', rows: 2, placeholder: 'email addresses, comma separated' });
  if (existing) invitees.value = existing.participants.join(', ');
  const kind = el('select', { name: 'kind' }, el('option', { value: 'meeting', text: 'Meeting' }),
    el('option', { value: 'town_hall', text: 'Town hall (broadcast to an audience)' }));
  const passcode = el('input', { name: 'passcode', placeholder: 'leave empty for a random one', maxlength: 10 });
  const lobby = el('input', { type: 'checkbox', name: 'lobby', checked: existing ? existing.settings.lobby : true });
  const guests = el('input', { type: 'checkbox', name: 'allow_guests',
    checked: existing ? existing.settings.allow_guests : true });
  const early = el('input', { type: 'checkbox', name: 'join_before_host',
    checked: existing ? existing.settings.join_before_host : false });
  const autoCaptions = el('input', { type: 'checkbox', name: 'auto_captions',
    checked: existing ? Boolean(existing.settings.auto_captions) : false });
  const shareSummary = el('input', { type: 'checkbox', name: 'share_summary',
    checked: existing ? Boolean(existing.settings.share_summary) : false });
  const error = formError();
  const button = el('button', { type: 'submit', text: existing ? 'Save changes' : 'Schedule' });
  show(el('h1', { text: existing ? 'Edit meeting' : 'Schedule a meeting' }), el('form', { class: 'card', onsubmit: (e) => {
    e.preventDefault();
    submitting(button, error, async () => {
      const begins = new Date(start.value);
      const body = { title: title.value.trim(), start_time: begins.toISOString(),
        end_time: new Date(begins.getTime() + Number(minutes.value) * 60_000).toISOString(),
        time_zone: timeZone.value.trim(), recurrence: recurrence.value || null,
        participants: invitees.value.split(/[\s,;]+/).filter(Boolean),
        settings: { lobby: lobby.checked, allow_guests: guests.checked, join_before_host: early.checked,
          auto_captions: autoCaptions.checked, share_summary: shareSummary.checked } };
      if (passcode.value) body.settings.passcode = passcode.value;
      let saved;
      if (existing) {
        saved = await call('PATCH', `/api/v1/meetings/${existing.meeting_id}`, body);
      } else {
        saved = await call('POST', '/api/v1/meetings', { ...body, kind: kind.value, host_id: session().userId });
      }
      toast(existing ? 'Meeting updated; invitees get the new time.' : 'Meeting scheduled.');
      location.hash = `#/meetings/${saved.meeting_id}`;
    });
  } }, field('Title', title), field('Starts', start), field('Duration', minutes), field('Time zone', timeZone),
  field('Repeats', recurrence), field('Invitees', invitees), existing ? null : field('Kind', kind),
  field('Passcode', passcode),
  el('label', { class: 'check' }, lobby, 'Waiting room: admit people who were not invited'),
  el('label', { class: 'check' }, guests, 'Guests without an account may join with the link'),
  el('label', { class: 'check' }, early, 'Participants may join before the host'),
  el('label', { class: 'check' }, autoCaptions, 'Live captions on when the host opens the meeting'),
  el('label', { class: 'check' }, shareSummary,
    'Send the summary to participants who consented (when the meeting ends)'), error, button));
}

export async function meetingPage(meetingId) {
  const m = await call('GET', `/api/v1/meetings/${meetingId}`);
  const error = formError();
  const moderator = m.role === 'host' || m.role === 'co_host';
  const copy = el('button', { type: 'button', class: 'secondary', text: 'Copy invite link', onclick: async () => {
    await navigator.clipboard.writeText(m.join_url).catch(() => {});
    toast('Link copied.');
  } });
  const ics = el('button', { type: 'button', class: 'secondary', text: 'Add to calendar (.ics)', onclick: async () => {
    const response = await fetch(`/api/v1/meetings/${meetingId}/invite.ics`,
      { headers: { Authorization: 'Bearer ' + session().token } });
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: `${m.title}.ics` });
    document.body.append(link);
    link.click();
    link.remove();
  } });
  const cancel = el('button', { type: 'button', class: 'danger', text: 'Cancel meeting' });
  cancel.addEventListener('click', () => submitting(cancel, error, async () => {
    if (!confirm('Cancel this meeting for everyone?')) return;
    await call('DELETE', `/api/v1/meetings/${meetingId}`);
    toast('Meeting cancelled; invitees are told.');
    location.hash = '#/';
  }));
  show(el('h1', { text: m.title }), el('section', { class: 'card' },
    el('p', {}, `${when(m.start_time)} – ${when(m.end_time)} (${m.time_zone})`,
      m.recurrence ? el('span', { class: 'badge', text: 'repeats' }) : null, ' ',
      m.status !== 'scheduled' ? el('span', { class: 'badge', text: m.status }) : null),
    el('p', {}, 'Link: ', el('code', { text: m.join_url })),
    el('p', {}, 'Meeting ID: ', el('code', { text: m.numeric_id }),
      m.settings.passcode ? [' · Passcode: ', el('code', { text: m.settings.passcode })] : null),
    el('p', { class: 'muted', text: `Invitees: ${m.participants.length ? m.participants.join(', ') : 'nobody yet'}` }),
    el('div', { class: 'row' }, el('a', { class: 'button', href: `#/join/${meetingId}`, text: 'Join' }), copy, ics,
      moderator ? el('a', { class: 'button secondary', href: `#/meetings/${meetingId}/edit`, text: 'Edit' }) : null,
      m.role === 'host' && !m.personal_room ? cancel : null), error));
}
