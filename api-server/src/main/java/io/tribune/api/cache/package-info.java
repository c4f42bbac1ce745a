/**
 * In-process copies of hot reads (meetings, account profiles, session and account state) and the feed that
 * keeps them correct across instances.
 *
 * <pre>
 *   writer (any instance) --commit--> PostgreSQL trigger --NOTIFY tribune_changes 'meeting:&lt;id&gt;'-->
 *       ChangeFeed (one LISTEN connection per instance) --changed(id)--> NearCache.invalidate
 *   writer (this instance) --after commit--> ChangeFeed.announce --> NearCache.invalidate   (read-your-writes)
 *   reader --> NearCache.get --miss--> loader (PostgreSQL / Redis) --store unless evicted meanwhile-->
 * </pre>
 *
 * While the feed is not listening (database down, connection lost) caches keep nothing and every read goes to the
 * source; on reconnecting they start empty.
 */
package io.tribune.api.cache;
