// One text file split into Spark partitions, each parsed on its executor by the trainer's CSV or LIBSVM reader.
package io.sparkprop.spark.data;

import java.io.BufferedReader;
import java.io.Serializable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import io.sparkprop.trainer.UserError;
import io.sparkprop.trainer.config.TrainConfig;
import io.sparkprop.trainer.data.CsvReader;
import io.sparkprop.trainer.data.DataFormat;
import io.sparkprop.trainer.data.Dataset;
import io.sparkprop.trainer.data.LibsvmReader;
import io.sparkprop.trainer.data.OnBadRow;
import io.sparkprop.trainer.data.SkipLog;

/**
 * Small jobs: take the file's first lines, count each split's lines (so every chunk knows the file line it starts
 * at), then parse each split into a {@link Chunk}, cached. A CSV layout (separator, columns, label column,
 * header) is probed from those first lines on the driver and handed to every chunk but the first.
 */
public final class Chunks {
    private final JavaRDD<Chunk> parsed;
    private final List<Chunk.Meta> meta;
    /** A CSV file's header (every column), or null. */
    private List<String> header;

    private Chunks(JavaRDD<Chunk> parsed, List<Chunk.Meta> meta) {
        this.parsed = parsed;
        this.meta = meta;
    }

    /** The CSV header the chunks were parsed with (every column), or null (no header, not CSV). */
    public List<String> header() {
        return header;
    }

    public static Chunks parse(JavaSparkContext sc, String path, DataFormat format, TrainConfig cfg, boolean classification,
                        List<String> knownClasses, int numFeatures, int partitions) {
        JavaRDD<String> lines = sc.textFile(path, partitions);
        List<String> head;
        try {
            head = lines.take(200);
        } catch (Exception e) { // Hadoop's IOExceptions arrive undeclared through Scala
            throw new UserError(path + ": cannot read (" + firstLine(e) + ")");
        }
        if (head.isEmpty()) {
            throw new UserError(path + ": no data rows");
        }
        CsvReader.Layout layout = format == DataFormat.CSV ? probeCsv(head, path, cfg, classification) : null;
        List<Long> counts = lines.mapPartitions(it -> {
            long n = 0;
            for (; it.hasNext(); it.next()) n++;
            return List.of(n).iterator();
        }).collect();
        long[] before = new long[counts.size()];
        for (int p = 1; p < before.length; p++) before[p] = before[p - 1] + counts.get(p - 1);
        OnBadRow onBadRow = cfg.onBadRow();
        String labelColumn = cfg.labelColumn();
        String weightColumn = cfg.weightColumn();
        JavaRDD<Chunk> parsed = lines.mapPartitionsWithIndex((p, it) -> {
            List<String> text = new ArrayList<>();
            it.forEachRemaining(text::add);
            SkipLog skips = onBadRow.log();
            Dataset d;
            if (layout != null) {
                CsvReader r = new CsvReader(labelColumn, classification, knownClasses, null, skips)
                        .weightColumn(weightColumn);
                d = r.read(path, lines(text), p == 0 ? null : layout, before[p]);
            } else {
                d = new LibsvmReader(numFeatures, classification, knownClasses, skips)
                        .read(path, lines(text), before[p], true);
            }
            return List.of(new Chunk(p, d, skips.count(), skips.firstLines())).iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        List<Chunk.Meta> meta = parsed.map(Chunk::meta).collect();
        long rows = meta.stream().mapToLong(m -> m.rows()).sum();
        if (rows == 0) {
            throw new UserError(path + ": no data rows");
        }
        Chunks out = new Chunks(parsed, meta);
        out.header = layout == null ? null : layout.header();
        return out;
    }

    /** Chunks made elsewhere (one per DataFrame partition), cached; only their metadata reaches the driver. */
    static Chunks of(JavaRDD<Chunk> chunks, String what) {
        JavaRDD<Chunk> parsed = chunks.persist(StorageLevel.MEMORY_AND_DISK());
        List<Chunk.Meta> meta = parsed.map(Chunk::meta).collect();
        if (meta.stream().mapToLong(m -> m.rows()).sum() == 0) {
            throw new UserError(what + ": no data rows");
        }
        return new Chunks(parsed, meta);
    }

    public JavaRDD<Chunk> rdd() {
        return parsed;
    }

    List<Chunk.Meta> meta() {
        return meta;
    }

    List<List<String>> classNames() {
        List<List<String>> all = new ArrayList<>();
        for (Chunk.Meta m : meta) {
            if (m.classNames() != null) all.add(m.classNames());
        }
        return all;
    }

    /** Targets per row (the same in every chunk: the reader's target columns). */
    int targets() {
        return meta.stream().mapToInt(m -> m.targets()).max().orElse(1);
    }

    /** Feature count: the widest chunk (LIBSVM rows may omit trailing features). */
    public int width() {
        return meta.stream().mapToInt(m -> m.features()).max().orElse(0);
    }

    long skipped() {
        return meta.stream().mapToLong(m -> m.skipped()).sum();
    }

    List<Long> firstSkippedLines() {
        List<Long> all = new ArrayList<>();
        meta.forEach(m -> all.addAll(m.skippedLines()));
        return all.subList(0, Math.min(10, all.size()));
    }

    void unpersist() {
        parsed.unpersist(false);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The given lines as a reader, for the trainer's CSV and LIBSVM readers. */
    private static BufferedReader lines(List<String> lines) {
        return new BufferedReader(new StringReader(String.join("\n", lines)));
    }

    /** The CSV layout (delimiter, header, columns) read from a split's first lines. */
    private static CsvReader.Layout probeCsv(List<String> head, String name, TrainConfig cfg, boolean classification) {
        CsvReader r = new CsvReader(cfg.labelColumn(), classification, null, null, null)
                .weightColumn(cfg.weightColumn());
        try {
            r.read(name, lines(head));
        } catch (UserError e) {
            if (r.layout() == null) {
                throw e;
            }
        }
        return r.layout();
    }

    /**
     * One parsed split: its rows (x: features × rows, y: targets × rows, a chunk-local class index or values)
     * and what it skipped.
     */
    public static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;

        final int index;
        public final int rows;
        public final int features;
        /** Targets per row: 1, or the number of target columns (data.label-column = [t1, t2]). */
        final int targets;
        public final double[] x;
        public final double[] y;
        /** One weight per row (data.weight-column), or null. */
        public final double[] w;
        final ArrayList<String> classNames;
        final long skipped;
        final ArrayList<Long> skippedLines;
        /** Per row: true = validation (a DataFrame's validation indicator column); null = chosen by hash. */
        final boolean[] validation;

        Chunk(int index, Dataset d, long skipped, List<Long> skippedLines) {
            this(index, d, skipped, skippedLines, null);
        }

        Chunk(int index, Dataset d, long skipped, List<Long> skippedLines, boolean[] validation) {
            this.index = index;
            this.rows = d.rows;
            this.features = d.features;
            this.targets = d.targets;
            this.x = d.x;
            this.y = d.y;
            this.w = d.w;
            this.classNames = d.classNames == null ? null : new ArrayList<>(d.classNames);
            this.skipped = skipped;
            this.skippedLines = new ArrayList<>(skippedLines);
            this.validation = validation;
        }

        Meta meta() {
            int marked = -1;
            if (validation != null) {
                marked = 0;
                for (boolean v : validation) if (v) marked++;
            }
            return new Meta(index, rows, features, targets, classNames, skipped, skippedLines, marked);
        }

        /** {@code validationRows}: the rows the indicator column marks, or −1 when the hash chooses them. */
        record Meta(int index, int rows, int features, int targets, ArrayList<String> classNames, long skipped,
                    ArrayList<Long> skippedLines, int validationRows) implements Serializable {
        }
    }
}
