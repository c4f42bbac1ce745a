/**
 * The Kafka consumer kit every Tribune worker uses: {@link io.tribune.common.kafka.EventConsumer} reads its topics
 * as one consumer group, decodes each record with {@link io.tribune.events.EventCodec}, skips events already
 * processed ({@link io.tribune.common.kafka.ProcessedEvents}, a table in the worker's own schema), calls the
 * worker's {@link io.tribune.common.kafka.EventHandler} and commits offsets only after the handler returned.
 *
 * <pre>
 *   poll ─► decode ─┬─ not an event ──────────────────────────────► tribune.dlq.&lt;worker&gt; (reason in headers)
 *                   └─ seen before? ─ yes ─► skip (counted)
 *                                    └ no ─► handler ─┬─ ok ─► mark processed ─► commit offset
 *                                                     ├─ PoisonEventException ─► dead letter, commit
 *                                                     └─ other failure ─► retry with backoff, then dead letter
 * </pre>
 *
 * <p>Delivery is at least once: a crash after the handler's side effect and before the processed mark (or the
 * commit) runs the handler again for that event, so handlers make their side effects idempotent too (the
 * notification worker keys every mail by a notification id in its delivery log).
 */
package io.tribune.common.kafka;
