/**
 * Live events in memory: the renditions, their LL-HLS media playlists and the multivariant playlist.
 *
 * <pre>
 * ingest thread: LiveEvent.accept(frame) --> VariantSegmenter --> Rendition.addPart --> waiters completed
 *                                                                       '--> RenditionListener (object storage)
 * HTTP threads:  Rendition.playlist / file / awaitPlaylist / awaitPart      (Rendition guards itself)
 * </pre>
 */
package io.tribune.hls.live;
