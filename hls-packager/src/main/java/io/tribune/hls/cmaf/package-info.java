/**
 * CMAF (fragmented MP4) written by hand, in the box subset hls.js, Safari and ffmpeg accept.
 *
 * <pre>
 * ingest samples --> VariantSegmenter (cut parts at the part target, segments at keyframes, mux AAC)
 *                        --> Cmaf.fragment (moof + mdat)  --> CutPart --> live.Rendition
 * TrackFormat (avcC / AudioSpecificConfig) --> Cmaf.initSegment (ftyp + moov)
 * </pre>
 */
package io.tribune.hls.cmaf;
