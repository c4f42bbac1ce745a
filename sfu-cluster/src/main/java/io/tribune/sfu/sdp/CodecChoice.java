package io.tribune.sfu.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * Which offered payload format the SFU uses. It never transcodes, so a subscriber receives a track in the codec
 * its publisher sends: Opus for audio; VP8 or H.264 for video, whichever the publisher's offer lists first (a
 * client picks H.264 with {@code setCodecPreferences}). H.264 needs packetization-mode=1 (RFC 6184 non-interleaved:
 * single NAL units, STAP-A, FU-A) and a subscriber's profile must match the publisher's (RFC 6184 §8.1: the
 * profile_idc and profile-iop bytes of profile-level-id; the level may differ with level-asymmetry-allowed).
 *
 * <p>Stateless and thread-safe.
 */
public final class CodecChoice {

    private CodecChoice() {
    }

    /** The format a publisher's section of this kind is received with. */
    public static Optional<Codec> forPublishing(OfferedMedia media) {
        if (media.kind().equals("audio")) {
            return media.codec("opus");
        }
        return media.codecs().stream().filter(c -> c.is("VP8") || isUsableH264(c)).findFirst();
    }

    /** The subscriber's offered format that carries what the publisher sends in {@code published}. */
    public static Optional<Codec> matching(OfferedMedia media, Codec published) {
        if (!published.is("H264")) {
            return media.codec(published.name());
        }
        String profile = profile(published);
        return media.codecs().stream().filter(CodecChoice::isUsableH264)
                .filter(c -> profile(c).equals(profile)).findFirst();
    }

    static boolean isUsableH264(Codec codec) {
        return codec.is("H264") && parameter(codec, "packetization-mode").orElse("0").equals("1")
                && profile(codec).length() == 4;
    }

    /** profile_idc and profile-iop of profile-level-id, lower case; 42e0 (constrained baseline) by default. */
    static String profile(Codec codec) {
        String id = parameter(codec, "profile-level-id").orElse("42e01f").toLowerCase(Locale.ROOT);
        return id.length() == 6 ? id.substring(0, 4) : "";
    }

    private static Optional<String> parameter(Codec codec, String name) {
        if (codec.parameters().isEmpty()) {
            return Optional.empty();
        }
        for (String parameter : codec.parameters().get().split(";")) {
            String p = parameter.trim();
            if (p.startsWith(name + "=")) {
                return Optional.of(p.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }
}
