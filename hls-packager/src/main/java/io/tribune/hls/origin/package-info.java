/**
 * The media origin over HTTP: CORS, then CloudFront-style signature checks ({@code /hls/*}, {@code /recordings/*}),
 * then the playlists, blocking reload, preload-hint holds and files ({@code HlsResource}), recordings from the
 * archive's bucket with byte ranges ({@code RecordingResource}), and {@code /auth} for the nginx edge.
 */
package io.tribune.hls.origin;
