/**
 * GStreamer pipelines (gst1-java-core on Debian's GStreamer 1.22) and the value types that shape them: the SRT
 * input, the ladder, appsink-to-ingest conversion. See {@link io.tribune.transcoder} for the flow.
 */
package io.tribune.transcoder.pipeline;
