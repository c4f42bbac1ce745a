package io.tribune.sfu.rtp;

import java.util.HexFormat;

/** Test helper: hex with spaces, as RFCs print packets. */
public final class Hex {

    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String string(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
