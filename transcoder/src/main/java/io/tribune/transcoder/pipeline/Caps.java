package io.tribune.transcoder.pipeline;

import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fields out of a caps string. gst1-java-core 1.4.0 has no getter for {@code GstBuffer} fields of a
 * structure, so {@code codec_data} (avcC, AudioSpecificConfig) is parsed from the serialized caps, where GStreamer
 * writes it as {@code codec_data=(buffer)0164001f...}. Stateless.
 */
public final class Caps {

    private static final Pattern CODEC_DATA = Pattern.compile("codec_data=\\(buffer\\)([0-9a-fA-F]+)");
    private static final Pattern INT_FIELD = Pattern.compile("(?:^|[ ,])%s=\\(int\\)(\\d+)");

    private Caps() {
    }

    /** The codec_data bytes, or null when the caps carry none. */
    public static byte[] codecData(String caps) {
        Matcher m = CODEC_DATA.matcher(caps);
        if (!m.find() || m.group(1).length() % 2 != 0) {
            return null;
        }
        return HexFormat.of().parseHex(m.group(1));
    }

    /** An {@code (int)} field, or {@code fallback} when absent. */
    public static int intField(String caps, String field, int fallback) {
        Matcher m = Pattern.compile(String.format(INT_FIELD.pattern(), Pattern.quote(field))).matcher(caps);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }
}
