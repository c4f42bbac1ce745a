package io.tribune.api.resources;

import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.tribune.api.api.TranscriptResponse;
import io.tribune.api.core.RecordingTranscriptions;
import io.tribune.api.core.TranscriptFormats;
import io.tribune.api.core.TranscriptFormats.Format;
import io.tribune.api.core.Transcripts;
import io.tribune.api.core.UserDirectory;
import io.tribune.api.errors.ApiException;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Registers the transcript resources ({@link MeetingTranscriptResource}, {@link RecordingTranscriptResource},
 * {@link TranscriptSearchResource}) and renders a transcript in the asked format: JSON, or a download (WebVTT, SRT,
 * text) with {@code Content-Disposition: attachment}. Stateless.
 */
public final class TranscriptResources {

    private TranscriptResources() {
    }

    public static void register(JerseyEnvironment jersey, Transcripts transcripts, UserDirectory users) {
        Callers callers = new Callers(users);
        jersey.register(new MeetingTranscriptResource(transcripts, callers));
        jersey.register(new RecordingTranscriptResource(transcripts, callers));
        jersey.register(new TranscriptSearchResource(transcripts, callers));
    }

    /** Registers {@link RecordingTranscribeResource} (on-demand transcription of a recording). */
    public static void registerOnDemand(JerseyEnvironment jersey, RecordingTranscriptions transcriptions,
                                        UserDirectory users) {
        jersey.register(new RecordingTranscribeResource(transcriptions, new Callers(users)));
    }

    /** 400 naming {@code format} unless it is json, vtt, srt or txt. */
    static Format format(String value) {
        Format format = Format.parse(value);
        if (format == null) {
            throw new ApiException(400, "invalid_request", "format must be json, vtt, srt or txt.",
                    Map.of("format", "must be json, vtt, srt or txt"));
        }
        return format;
    }

    static Response render(Transcripts.Transcript transcript, Format format, String fileStem) {
        if (format == Format.JSON) {
            return Response.ok(TranscriptResponse.of(transcript), format.mediaType()).build();
        }
        String body = switch (format) {
            case VTT -> TranscriptFormats.webVtt(transcript.segments(), transcript.origin());
            case SRT -> TranscriptFormats.srt(transcript.segments(), transcript.origin());
            default -> TranscriptFormats.text(transcript.segments(), transcript.origin());
        };
        return Response.ok(body, format.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + fileStem + "." + format.extension()
                        + "\"")
                .header("Cache-Control", "private, no-store")
                .build();
    }
}
