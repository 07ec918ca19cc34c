// Hands a uid to a Java subclass of Spark's Params before the superclass constructor asks for it.
package io.sparkprop.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Spark's Scala classes set {@code uid} before their params are built (in the superclass constructor, which
 * calls uid()). A Java constructor cannot assign a field that early, so the uid waits here, per thread, and
 * uid() claims it on its first call.
 */
final class Uids {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    private Uids() {
    }

    /** Call as the argument of this(...), i.e. before super() runs. */
    static Void next(String uid) {
        NEXT.set(uid);
        return null;
    }

    static String claim(String prefix) {
        String uid = NEXT.get();
        NEXT.remove();
        return uid != null ? uid : random(prefix);
    }

    static String random(String prefix) {
        return Identifiable$.MODULE$.randomUID(prefix);
    }
}
