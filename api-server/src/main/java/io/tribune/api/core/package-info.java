/**
 * What api-server does, behind the resources. The accounts part:
 *
 * <ul>
 *   <li>{@link io.tribune.api.core.Accounts}: registration, profile and password changes, email verification,
 *       password reset (one-time links through {@link io.tribune.api.core.OneTimeLinks}).</li>
 *   <li>{@link io.tribune.api.core.Sessions}: login, refresh-token rotation with reuse detection, logout.</li>
 *   <li>{@link io.tribune.api.core.AdminAccounts}: listing, roles, disabling, the audit log.</li>
 *   <li>{@link io.tribune.api.core.AccountErasure} and {@link io.tribune.api.core.AccountExport} (GDPR), which
 *       other parts extend through {@link io.tribune.api.core.UserDataHooks}.</li>
 *   <li>{@link io.tribune.api.core.AuditLog}: every admin action, from any part of api-server.</li>
 *   <li>{@link io.tribune.api.core.BootstrapAdmin}: the configured first admin.</li>
 * </ul>
 *
 * Every change runs in one database transaction together with its outbox event ({@code user.*} on
 * {@code tribune.users}) and audit entry, so the three exist exactly when the change was committed.
 *
 * <p>The meetings part:
 *
 * <pre>
 *  POST /meetings ──> MeetingScheduler ──(one tx: host advisory lock, ConflictFinder over MeetingSchedules,
 *                         │                insert, outbox meeting.*)──> PostgreSQL ──relay──> Kafka
 *                         └─ RecurrenceRule (ical4j, meeting's zone), MeetingSecrets (passcode HMAC + seal)
 *  POST .../join ──> MeetingJoiner ── JoinRateLimiter, JoinRevocations, MeetingLobby, MeetingPresence (Redis)
 *                         └─ TokenIssuer (common) ──> join token (ES256, aud sfu+channel, 2 min, one-time jti)
 *  GET .../invite.ics, /calendar/{token}.ics ──> MeetingCalendar (ical4j), CalendarFeeds
 *  account erased/exported ──> MeetingErasure, MeetingExport (through UserDataHooks)
 * </pre>
 *
 * {@link io.tribune.api.core.MeetingAccess} holds who may see, edit and cancel a meeting; {@link
 * io.tribune.api.core.MeetingListing} expands "my meetings" in a window; {@link io.tribune.api.core.PersonalRooms}
 * makes each person's permanent room.
 */
package io.tribune.api.core;
