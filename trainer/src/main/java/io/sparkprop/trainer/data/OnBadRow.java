// data.on-bad-row: what a text reader does with a malformed row.
package io.sparkprop.trainer.data;

import java.util.Locale;

/** {@link #id()} is the config spelling; each constant makes the {@link SkipLog} that carries it out. */
public enum OnBadRow {
    /** Stop at the first malformed row with its file:line. */
    FAIL,
    /** Drop it, count it and remember its line. */
    SKIP;

    /** A fresh log for one read. */
    public SkipLog log() {
        return this == SKIP ? SkipLog.skipping() : SkipLog.failing();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
