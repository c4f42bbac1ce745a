/**
 * The packet pipeline's building blocks, after Jitsi Videobridge's: small named nodes, each doing one thing, each
 * counting packets in, out and dropped and the nanoseconds it spent.
 *
 * <pre>
 *   Pipeline "receive-ID" (owned by one thread)
 *     DemuxerNode ──rtp──> TransformerNode -> FilterNode -> ObserverNode -> ... -> ConsumerNode
 *                 └─rtcp─> TransformerNode -> ...                           -> ConsumerNode
 * </pre>
 *
 * <ul>
 *   <li>{@link io.tribune.sfu.pipeline.TransformerNode#transform}: change the packet, or return null to drop it.
 *   <li>{@link io.tribune.sfu.pipeline.FilterNode#accept}: pass it on unchanged or drop it.
 *   <li>{@link io.tribune.sfu.pipeline.ObserverNode#observe}: learn from it; it always goes on.
 *   <li>{@link io.tribune.sfu.pipeline.ConsumerNode#consume}: the packet leaves the pipeline.
 *   <li>{@link io.tribune.sfu.pipeline.DemuxerNode}: the first branch whose predicate accepts it.
 * </ul>
 *
 * <p>Threading: one thread owns a pipeline and all its nodes; queues sit only at a pipeline's edges and nodes are
 * never shared. A {@link io.tribune.sfu.pipeline.PacketInfo} belongs to one thread at a time; fan-out copies it
 * for every receiver but the last. Counters may be read from any thread.
 */
package io.tribune.sfu.pipeline;
