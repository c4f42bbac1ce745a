/**
 * The media ingest contract between the transcoder and the HLS packager (two services that never import each
 * other): {@link io.tribune.common.media.IngestProtocol} defines a small versioned binary framing of HELLO, TRACK
 * (codec configuration), SAMPLE (one access unit with dts, pts, duration, keyframe flag and capture time),
 * DISCONTINUITY and END frames, sent over one TCP connection per event.
 *
 * <pre>
 * transcoder --IngestWriter--> TCP --IngestReader--> packager (segmenter -> CMAF parts -> LL-HLS playlists)
 * </pre>
 */
package io.tribune.common.media;
