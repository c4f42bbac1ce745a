package io.tribune.hls.origin;

/**
 * Cache-Control values of the origin, chosen for a CDN in front (shared caches) and for hls.js behind it.
 * Immutable media needs URIs unique per stream start: every file lives under the run id.
 */
final class CacheHeaders {

    /** Parts, segments and init segments never change once published. */
    static final String MEDIA = "public, max-age=86400, immutable";
    /**
     * A playlist without _HLS_msn changes with every part: short, but long enough to collapse a crowd. While a CDN
     * refreshes an expired copy, the viewers asking meanwhile may get the old one for up to a second more instead of
     * each going to the origin (nginx's cache lock covers misses, not refreshes); a viewer's next blocking reload
     * catches up anyway.
     */
    static final String LIVE_PLAYLIST = "public, max-age=1, stale-while-revalidate=1";
    /**
     * A blocking playlist response names one point in the stream: any later copy still satisfies the request
     * (rfc8216bis 6.2.5.2), so a CDN can keep it for a few target durations.
     */
    static final String BLOCKING_PLAYLIST = "public, max-age=6";
    static final String MULTIVARIANT = "public, max-age=5";
    /** Ended events (ENDLIST, from memory or object storage) change no more. */
    static final String ENDED_PLAYLIST = "public, max-age=300";
    /** Not there (yet): ask again soon, but let a CDN absorb a burst of misses. */
    static final String NOT_FOUND = "public, max-age=1";
    /** 400, 403, 503: about this request only. */
    static final String NO_STORE = "no-store";

    private CacheHeaders() {
    }
}
