package io.tribune.hls.live;

/**
 * A published part. Immutable.
 *
 * @param number      rendition-wide counter, names the file ({@code p<number>.m4s}) so that the preload hint can name
 *                    the next part before anyone knows which segment it belongs to
 * @param index       position in its segment (the {@code _HLS_part} value)
 * @param duration    seconds
 * @param independent starts with a keyframe
 * @param bytes       {@code moof} + {@code mdat}
 */
public record Part(long number, int index, double duration, boolean independent, byte[] bytes) {

    public String fileName() {
        return "p" + number + ".m4s";
    }
}
