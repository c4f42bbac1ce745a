package io.tribune.common.media;

import java.io.IOException;

/** Input that is not a valid ingest frame; the receiver closes the connection. */
public final class IngestProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public IngestProtocolException(String message) {
        super(message);
    }
}
