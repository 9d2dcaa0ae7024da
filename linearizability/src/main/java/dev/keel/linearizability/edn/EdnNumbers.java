package dev.keel.linearizability.edn;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Parses EDN number tokens: integers become {@link Long} when they fit, so equal numbers compare equal. */
final class EdnNumbers {
    private EdnNumbers() {
    }

    /**
     * The longest number token read. Java parses big integers and decimals in time quadratic in their length, so
     * a hostile or corrupt file with a million-digit number would stall reading (where no timeout applies);
     * histories never need numbers anywhere near this long.
     */
    static final int MAX_NUMBER_LENGTH = 10_000;

    static Object parse(String token, int line, int column) {
        if (token.length() > MAX_NUMBER_LENGTH) {
            throw new EdnException("a number of " + token.length() + " characters; keel-check reads numbers of at most "
                    + MAX_NUMBER_LENGTH, line, column);
        }
        try {
            if (token.endsWith("N")) {
                return normalize(new BigInteger(stripPlus(token.substring(0, token.length() - 1))));
            }
            if (token.endsWith("M")) {
                return new BigDecimal(stripPlus(token.substring(0, token.length() - 1)));
            }
            if (token.indexOf('/') >= 0) {
                throw new EdnException("ratios such as '" + token + "' are not supported", line, column);
            }
            if (token.indexOf('.') >= 0 || token.indexOf('e') >= 0 || token.indexOf('E') >= 0) {
                return Double.parseDouble(token);
            }
            return parseInteger(stripPlus(token));
        } catch (NumberFormatException e) {
            throw new EdnException("'" + token + "' is not a number", line, column);
        }
    }

    private static Object parseInteger(String digits) {
        // Nearly every integer in a history fits a long; BigInteger is only the fallback for huge ones.
        if (digits.length() <= 18) {
            return Long.parseLong(digits);
        }
        return normalize(new BigInteger(digits));
    }

    /** Clojure treats 1 and 1N as equal; Java does not, so integers that fit are always {@link Long}. */
    static Object normalize(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static String stripPlus(String token) {
        return token.startsWith("+") ? token.substring(1) : token;
    }
}
