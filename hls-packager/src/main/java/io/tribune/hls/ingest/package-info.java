/** The TCP listener transcoders push samples to (protocol: {@code io.tribune.common.media}). */
package io.tribune.hls.ingest;
