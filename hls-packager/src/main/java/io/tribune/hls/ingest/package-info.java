/**
 * The TCP listener transcoders push samples to (protocol: {@code io.tribune.common.media}), and the other end of it
 * without a transcoder: {@code SyntheticMedia} encodes ffmpeg's test signal once into ingest samples (with the
 * {@code AnnexB} and {@code Adts} splitters) and {@code IngestFeeder} plays them into a packager at real-time pace,
 * for the packager's tests and {@code ops/tribune bench cdn}.
 */
package io.tribune.hls.ingest;
