/**
 * Helpers behind {@link io.tribune.platform}: loopback ports, data-directory locks, orphaned-process cleanup, the
 * redis-server binary, and the guard that keeps an in-process Kafka broker from exiting the JVM. Not API: other modules
 * must not depend on these classes.
 */
package io.tribune.platform.internal;
