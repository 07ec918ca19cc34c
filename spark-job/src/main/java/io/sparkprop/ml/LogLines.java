// The training loop's progress lines (one per epoch) sent to the log instead of stderr, and to a follower.
package io.sparkprop.ml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OutputStream that logs each completed line at INFO under io.sparkprop.ml. A caller outside the JVM (the
 * Python package, through Py4J) may {@link #follow} an estimator's uid during its fit and {@link #take} the
 * lines as they come; lines of a uid nobody follows are only logged, so nothing accumulates.
 */
public final class LogLines extends java.io.OutputStream {
    private static final Logger LOG = LoggerFactory.getLogger("io.sparkprop.ml");
    private static final Map<String, Queue<String>> FOLLOWED = new ConcurrentHashMap<>();

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final String uid;

    /** @param uid the estimator whose fit writes here */
    LogLines(String uid) {
        this.uid = uid;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            LOG.info(text);
            Queue<String> q = FOLLOWED.get(uid);
            if (q != null) q.add(text);
            line.reset();
        } else {
            line.write(b);
        }
    }

    /** From now on, keep the lines of fits by the estimator {@code uid} until {@link #take} or unfollow. */
    public static void follow(String uid) {
        FOLLOWED.putIfAbsent(uid, new ConcurrentLinkedQueue<>());
    }

    /** The lines kept for {@code uid} since the last call, oldest first (empty when not followed). */
    public static String[] take(String uid) {
        Queue<String> q = FOLLOWED.get(uid);
        List<String> out = new ArrayList<>();
        for (String s; q != null && (s = q.poll()) != null; ) out.add(s);
        return out.toArray(new String[0]);
    }

    public static void unfollow(String uid) {
        FOLLOWED.remove(uid);
    }
}
