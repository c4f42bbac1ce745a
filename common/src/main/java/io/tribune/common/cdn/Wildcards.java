package io.tribune.common.cdn;

/**
 * CloudFront's resource patterns: {@code *} matches any run of characters (also none), {@code ?} exactly one, and
 * everything else itself, case-sensitively. Linear-time greedy matching with one backtrack point, so a hostile
 * pattern cannot make it slow.
 */
final class Wildcards {

    private Wildcards() {
    }

    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
