package io.tribune.transcription.cli;

import io.tribune.transcription.core.SpeechModel;
import io.tribune.transcription.core.TranscriberSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tribune transcribe [--model DIR] FILE}: prints the file's WebVTT to {@code out}. The model is {@code DIR},
 * else {@code $TRIBUNE_VOSK_MODEL}, else the system property {@code tribune.vosk.model}.
 */
public final class TranscribeCommand {

    public static final String USAGE = "usage: tribune transcribe [--model VOSK_MODEL_DIR] FILE";

    private TranscribeCommand() {
    }

    /** Returns the exit status; a bad argument or unreadable file is an {@link IllegalArgumentException}. */
    public static int run(List<String> args, PrintStream out, String defaultModel) throws IOException {
        String model = defaultModel;
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--model") && i + 1 < args.size()) {
                model = args.get(++i);
            } else if (arg.startsWith("--") || file != null) {
                throw new IllegalArgumentException(USAGE);
            } else {
                file = arg;
            }
        }
        if (file == null) {
            throw new IllegalArgumentException(USAGE);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no Vosk model: pass --model DIR or set TRIBUNE_VOSK_MODEL");
        }
        try (SpeechModel speech = SpeechModel.load(Path.of(model))) {
            List<FileTranscriber.Cue> cues = new FileTranscriber(speech, TranscriberSettings.defaults())
                    .transcribe(Path.of(file));
            out.print(FileTranscriber.webVtt(cues));
            out.flush();
        }
        return 0;
    }
}
