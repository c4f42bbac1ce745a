/**
 * The media origin over HTTP: CORS, then CloudFront-style signature checks ({@code /hls/*}), then the playlists,
 * blocking reload, preload-hint holds and files ({@code HlsResource}), and {@code /auth} for the nginx edge.
 */
package io.tribune.hls.origin;
