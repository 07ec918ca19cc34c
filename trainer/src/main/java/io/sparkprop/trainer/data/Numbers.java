// Parsing numeric tokens from text data, with a precise reason when a token is not a finite number.
package io.sparkprop.trainer.data;

import java.util.Locale;

/** Token → double, accepting the usual spellings of NaN and infinity so they can be rejected by name. */
final class Numbers {
    private Numbers() {
    }

    /**
     * The value of a trimmed token. "nan", "inf", "-inf", "infinity" (any case) parse to NaN/±∞ so the caller
     * can say "not finite" rather than "not a number".
     *
     * @throws NumberFormatException when the token is not a number at all
     */
    static double parse(String token) {
        char c = token.isEmpty() ? ' ' : token.charAt(0);
        // Fast path: the JDK parser also accepts "1d" or hex, harmless; only letters need the special spellings.
        if ((c >= '0' && c <= '9') || c == '.' || ((c == '-' || c == '+') && token.length() > 1
                && (Character.isDigit(token.charAt(1)) || token.charAt(1) == '.'))) {
            return Double.parseDouble(token);
        }
        String t = token.toLowerCase(Locale.ROOT);
        String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (body.equals("nan")) {
            return Double.NaN;
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw new NumberFormatException(token);
    }

    static boolean isNumber(String token) {
        try {
            parse(token);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The value, or NaN when the token is not a number (callers then ask {@link #whyNotFinite}). */
    static double parseOrNaN(String token) {
        try {
            return parse(token);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Why a token that did not give a finite value was refused, e.g. {@code "abc" is not a number}. */
    static String whyNotFinite(String token) {
        if (token.isEmpty()) {
            return "empty value, expected a number";
        }
        if (!isNumber(token)) {
            return "\"" + token + "\" is not a number";
        }
        return "\"" + token + "\" is not finite (NaN and infinity are not allowed)";
    }
}
