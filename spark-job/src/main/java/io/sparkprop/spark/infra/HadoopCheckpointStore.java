// Checkpoints on any Hadoop file system (file:, hdfs:, s3a:, ...): what the Spark engine writes to.
package io.sparkprop.spark.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import io.sparkprop.trainer.train.CheckpointStore;
import io.sparkprop.trainer.train.LocalCheckpointStore;
import io.sparkprop.trainer.train.TrainState;

/**
 * The same files as {@link LocalCheckpointStore} (checkpoint-&lt;epoch&gt;.bin, the last {@link #KEEP} kept),
 * through org.apache.hadoop.fs.FileSystem. Each is written under a hidden temporary name, synced, and renamed
 * into place, so a driver killed mid-write leaves only a temporary file that {@link #latest} never reads and
 * the next save removes. Rename is atomic on HDFS and local disks; on object stores (s3a) it is a copy, but
 * a partial copy still fails the checkpoint's own sha256 and the previous checkpoint is used instead.
 */
public final class HadoopCheckpointStore implements CheckpointStore {
    static final int KEEP = 2;
    private static final Pattern NAME = Pattern.compile("checkpoint-\\d+\\.bin");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    private static final String TMP_SUFFIX = ".tmp";

    private final Path dir;
    private final Configuration conf;

    public HadoopCheckpointStore(String dir, Configuration conf) {
        this.dir = new Path(dir);
        this.conf = conf;
    }

    /**
     * checkpoint.dir as a URI: empty = OUT/checkpoints; a value with a scheme (hdfs://nn/x, file:/x, s3a://b/x)
     * as it is; a plain path relative to the driver's working directory, as file: URI.
     */
    public static String resolve(String checkpointDir, java.nio.file.Path out) {
        if (checkpointDir.isEmpty()) {
            return out.resolve("checkpoints").toAbsolutePath().normalize().toUri().toString();
        }
        if (SCHEME.matcher(checkpointDir).matches()) {
            return URI.create(checkpointDir).toString();
        }
        return Paths.get(checkpointDir).toAbsolutePath().normalize().toUri().toString();
    }

    @Override
    public void save(TrainState state) throws IOException {
        FileSystem fs = fs();
        fs.mkdirs(dir);
        String name = LocalCheckpointStore.fileName(state.nextEpoch);
        Path tmp = new Path(dir, "." + name + "." + UUID.randomUUID() + TMP_SUFFIX);
        Path dst = new Path(dir, name);
        try {
            try (FSDataOutputStream o = fs.create(tmp, true)) {
                o.write(state.encode());
                o.hsync();
            }
            if (!fs.rename(tmp, dst)) {
                // HDFS does not replace an existing file by rename (a resumed run rewriting an epoch).
                if (!fs.exists(dst) || !fs.delete(dst, false) || !fs.rename(tmp, dst)) {
                    throw new IOException("could not rename " + tmp + " to " + dst);
                }
            }
        } catch (IOException e) {
            fs.delete(tmp, false);
            throw e;
        }
        List<Path> all = checkpoints(fs);
        for (int i = 0; i < all.size() - KEEP; i++) {
            fs.delete(all.get(i), false);
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String n = s.getPath().getName();
            if (n.startsWith(".checkpoint-") && n.endsWith(TMP_SUFFIX)) {
                fs.delete(s.getPath(), false);
            }
        }
    }

    @Override
    public TrainState latest(Consumer<String> skipped) throws IOException {
        FileSystem fs = fs();
        if (!fs.exists(dir)) {
            return null;
        }
        List<Path> all = checkpoints(fs);
        for (int i = all.size() - 1; i >= 0; i--) {
            try (InputStream in = fs.open(all.get(i))) {
                return TrainState.decode(in.readAllBytes());
            } catch (IllegalArgumentException corrupt) {
                skipped.accept(all.get(i).getName() + ": " + corrupt.getMessage()); // falls back to the previous
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    /** The local file system without Hadoop's .crc side files: the checkpoint carries its own sha256. */
    private FileSystem fs() throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    private List<Path> checkpoints(FileSystem fs) throws IOException {
        List<Path> l = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isFile() && NAME.matcher(s.getPath().getName()).matches()) {
                l.add(s.getPath());
            }
        }
        l.sort((a, b) -> a.getName().compareTo(b.getName()));
        return l;
    }
}
