/**
 * Town-hall captions into the HLS subtitles rendition:
 * <pre>
 *   tribune.captions --poll (group hls-packager-captions)--> CaptionsConsumer: final? well formed? live event?
 *       --> LiveEvent.captions() (SubtitleCues) --> next subtitle segment (WebVtt) when a video segment completes
 * </pre>
 */
package io.tribune.hls.captions;
