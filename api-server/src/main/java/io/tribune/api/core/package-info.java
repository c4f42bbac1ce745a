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
 */
package io.tribune.api.core;
