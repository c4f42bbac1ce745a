/**
 * The transactional outbox: events leave api-server only for changes that were committed.
 *
 * <pre>
 *  resource ── jdbi.useTransaction ──┬── change rows (users, meetings, ...)
 *                                    └── OutboxWriter.append ──► outbox row ──(commit)──► NOTIFY tribune_outbox
 *
 *  OutboxRelay thread (one per instance; instances share rows through FOR UPDATE SKIP LOCKED):
 *    wait (poll interval | notification) ──► claim due unsent rows in id order
 *      ──► KafkaProducerManager's producer (idempotent, acks=all), header event_id
 *      ──► wait for every ack ──► sent_at = now() for acked rows, attempts/last_error for the others ──► commit
 *    Kafka unreachable ──► back off, retry from the oldest unsent row (keys keep their order)
 *    every 10 minutes ──► delete rows sent longer ago than outbox.retention
 * </pre>
 *
 * Consumers deduplicate on the event id ({@code processed_events}), because delivery is at-least-once.
 */
package io.tribune.api.outbox;
