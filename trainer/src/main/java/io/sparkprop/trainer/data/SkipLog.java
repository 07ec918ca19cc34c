// What to do with a malformed data row: fail on the first (the default) or skip it and keep count.
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code onBadRow} policy, shared by the text readers. In skip mode a rejected row is counted and its line
 * remembered (the first {@link #MAX_LINES}) so the caller can report what was dropped instead of hiding it.
 */
public final class SkipLog {
    public static final int MAX_LINES = 10;

    private final boolean skip;
    private long count;
    private final List<Long> lines = new ArrayList<>();

    private SkipLog(boolean skip) {
        this.skip = skip;
    }

    public static SkipLog failing() {
        return new SkipLog(false);
    }

    public static SkipLog skipping() {
        return new SkipLog(true);
    }

    /** Throws {@code error} when failing; otherwise records the row at {@code line} as skipped. */
    void reject(UserError error, long line) {
        if (!skip) {
            throw error;
        }
        count++;
        if (lines.size() < MAX_LINES) {
            lines.add(line);
        }
    }

    public long count() {
        return count;
    }

    /** Line numbers of the first ≤ 10 skipped rows. */
    public List<Long> firstLines() {
        return List.copyOf(lines);
    }

    /** " (N malformed rows skipped, first at line L)" or "" — appended to "no data rows" so the cause is visible. */
    String suffix() {
        return count == 0 ? "" : " (" + count + " malformed row" + (count == 1 ? "" : "s") + " skipped, first at line "
                + lines.get(0) + ")";
    }
}
