/** The transcoder's side of the media ingest protocol: a reconnecting, queue-fed connection to the packager. */
package io.tribune.transcoder.ingest;
