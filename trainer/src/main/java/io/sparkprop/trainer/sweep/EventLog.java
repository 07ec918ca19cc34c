// OUT/trials.jsonl: the sweep's append-only journal (started, epoch, rung, finished, failed, pruned events).
package io.sparkprop.trainer.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import io.sparkprop.trainer.config.CanonicalJson;

/**
 * One JSON object per line, written with a single write call and never rewritten, so concurrent trials and a
 * crash leave at worst one torn last line, which {@link #read} skips. Events that decide what a rerun does
 * (rung, finished, failed, pruned) are forced to disk; per-epoch events are not, they are only for reading.
 */
public final class EventLog {
    private final Path file;

    public EventLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends {@code fields} (insertion order kept) as one line, and returns the event as {@link #read} would. */
    public synchronized Config append(Map<String, Object> fields, boolean durable) {
        StringBuilder sb = new StringBuilder();
        json(fields, sb);
        sb.append('\n');
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        return ConfigFactory.parseString(sb.toString());
    }

    /** Every complete event in order; an unparsable line (a write torn by a crash) is skipped. */
    public List<Config> read() {
        List<Config> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Config c = ConfigFactory.parseString(line);
                if (c.hasPath("event") && c.hasPath("trial")) {
                    out.add(c);
                }
            } catch (ConfigException torn) {
                // skipped: see the class comment
            }
        }
        return out;
    }

    /** Minimal JSON: maps, lists, strings, numbers (NaN and ±∞ as null), booleans, HOCON values. */
    static void json(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                CanonicalJson.string(String.valueOf(e.getKey()), sb);
                sb.append(':');
                json(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                json(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Double d) {
            sb.append(Double.isFinite(d) ? d.toString() : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof ConfigValue c) {
            sb.append(c.render(ConfigRenderOptions.concise()));
        } else {
            CanonicalJson.string(v.toString(), sb);
        }
    }
}
