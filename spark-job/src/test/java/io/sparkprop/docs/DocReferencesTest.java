// README.md and docs/**/*.md name only test classes, config keys and commands that exist: a rename or a typo fails here.
package io.sparkprop.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import io.sparkprop.cli.Main;
import picocli.CommandLine;

/**
 * Checked in every line of the pages:
 * <ul>
 *   <li>a test class (a word ending in Test or Tests, in backticks or not) has a file under some
 *       {@code <module>/src/test/java}; {@code Class.method} also needs a method of that name (or with that
 *       prefix, for names the text shortens with "…") in the file;</li>
 *   <li>a dotted lower-case key in backticks whose first segment is a section of reference.conf (or
 *       {@code sweep}) is a key or a section of reference.conf, a key of the {@code sweep} block, or one of the
 *       Spark settings in {@link #SPARK_KEYS}; a {@code --set KEY=} anywhere, and every key of a {@code hocon}
 *       code block, must be ours (the CLI refuses anything else);</li>
 *   <li>{@code sparkprop <command>} in code is a subcommand of the CLI.</li>
 * </ul>
 * File names that look like keys ({@code model.json}, {@code data.csv}) are told apart by their extension.
 */
class DocReferencesTest {
    /** Spark's own settings the pages mention: they are not in reference.conf and are passed with --conf. */
    static final Set<String> SPARK_KEYS = Set.of("spark.task.cpus", "spark.task.maxFailures",
            "spark.stage.maxConsecutiveAttempts", "spark.scheduler.maxRegisteredResourcesWaitingTime",
            "spark.sparkprop.stepPort", "spark.sparkprop.memoryLinks", "spark.sparkprop.bucketValues",
            "spark.sparkprop.earlyForward",
            "spark.ui.enabled", "spark.eventLog.enabled",
            "spark.eventLog.dir", "spark.kubernetes.container.image", "spark.kubernetes.file.upload.path",
            "spark.kubernetes.executor.deleteOnTermination", "spark.executor.instances", "spark.executor.memory",
            "spark.driver.memory", "spark.broadcast.compress", "spark.jars", "spark.master",
            "spark.dynamicAllocation.enabled", "spark.memory.fraction");
    /** Last segments that make a dotted word a file name, not a key. */
    static final Set<String> FILE_EXTENSIONS = Set.of("json", "jsonl", "bin", "csv", "png", "conf", "onnx", "txt",
            "md", "sh", "py", "jar", "java", "libsvm", "parquet", "gz", "log", "properties", "xml", "proto");

    static final Pattern TEST_NAME = Pattern.compile("(?<![\\w$-])([A-Z][A-Za-z0-9]*Tests?)\\b(?:\\.([a-z]\\w*))?");
    static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    static final Pattern KEY = Pattern.compile("(?<![\\w.$/-])([a-z][a-z0-9-]*(?:\\.[A-Za-z0-9_-]+)+)(?![\\w(/-])");
    static final Pattern SET = Pattern.compile("--set[ \\t]+[\"']?([A-Za-z][\\w-]*(?:\\.[\\w-]+)+)[ \\t]*=");
    /** {@code sparkprop <word>}, but not Python's {@code from sparkprop import x} or {@code pip install sparkprop}. */
    static final Pattern COMMAND =
            Pattern.compile("(?<![\\w.-])(?<!from )(?<!import )(?<!install )sparkprop[ \\t]+([a-z][a-z0-9-]*)");

    final Path root = repoRoot();
    final Set<String> referenceKeys = new TreeSet<>();
    final Set<String> sections = new TreeSet<>();
    final Set<String> sweepKeys = sweepKeys();
    final Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
    final Map<String, Path> testFiles = new TreeMap<>();

    DocReferencesTest() throws IOException {
        Config reference = ConfigFactory.parseFile(root.resolve("trainer/src/main/resources/reference.conf").toFile());
        for (var e : reference.entrySet()) {
            String key = e.getKey();
            referenceKeys.add(key);
            for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
                referenceKeys.add(key.substring(0, dot));
            }
            sections.add(key.substring(0, key.indexOf('.') < 0 ? key.length() : key.indexOf('.')));
        }
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path tests = module.resolve("src/test/java");
                if (Files.isDirectory(tests)) {
                    try (Stream<Path> files = Files.walk(tests)) {
                        files.filter(f -> f.toString().endsWith(".java"))
                                .forEach(f -> testFiles.put(f.getFileName().toString().replace(".java", ""), f));
                    }
                }
            }
        }
    }

    @Test
    void theReadmeAndDocsNameOnlyWhatExists() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            problems.addAll(check(root.relativize(page).toString(),
                    Files.readAllLines(page, StandardCharsets.UTF_8)));
        }
        problems.forEach(System.out::println);
        assertTrue(problems.isEmpty(), problems.size() + " dangling reference(s):\n" + String.join("\n", problems));
        assertTrue(testFiles.containsKey("DocReferencesTest"), "the test files were not found under " + root);
    }

    @Test
    void aBadReferenceOfEachKindIsReported() {
        List<String> lines = List.of(
                "Covered by `SparkDataTest` and by WorkedExampleTest.noSuchMethod, while `ScalerTest` exists.",
                "Set `train.batch-size` and `train.bacth-size = 8`; `spark.partitions` yes, `spark.partitons` no;",
                "Spark's `spark.task.cpus` is fine, `model.json` is a file, `summary.json` too.",
                "```bash",
                "scripts/sparkprop train --set optimizer.name=sgd --set optimiser.name=sgd",
                "scripts/sparkprop fit --config conf/default.conf",
                "from sparkprop import jar_path; pip install sparkprop numpy",
                "```",
                "```hocon",
                "train { epochs = 3, epoch = 4 }",
                "sweep { method = grid, methd = grid }",
                "```");
        List<String> problems = check("page.md", lines);
        problems.forEach(System.out::println);
        assertEquals(List.of(
                "page.md:1: test class SparkDataTest has no file under */src/test/java",
                "page.md:1: WorkedExampleTest has no method noSuchMethod",
                "page.md:2: config key train.bacth-size is not in reference.conf",
                "page.md:2: config key spark.partitons is not in reference.conf",
                "page.md:5: --set optimiser.name: not a key of reference.conf",
                "page.md:6: sparkprop fit: not a command (" + String.join(", ", commands) + ")",
                "page.md:9: hocon block: sweep.methd is not in reference.conf",
                "page.md:9: hocon block: train.epoch is not in reference.conf"), problems);
    }

    /** Every dangling reference of one page, as "file:line: what". */
    List<String> check(String file, List<String> lines) {
        List<String> problems = new ArrayList<>();
        boolean fenced = false;
        String fenceLanguage = "";
        int fenceStart = 0;
        StringBuilder fence = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String at = file + ":" + (i + 1) + ": ";
            if (line.strip().startsWith("```")) {
                if (fenced && fenceLanguage.equals("hocon")) {
                    checkHocon(fence.toString(), file + ":" + fenceStart + ": hocon block: ", problems);
                }
                fenced = !fenced;
                fenceLanguage = fenced ? line.strip().substring(3).strip() : "";
                fenceStart = i + 1;
                fence.setLength(0);
                continue;
            }
            if (fenced) {
                fence.append(line).append('\n');
            }
            checkTestNames(line, at, problems);
            List<String> code = new ArrayList<>();
            if (fenced) {
                code.add(line);
            } else {
                for (Matcher m = CODE_SPAN.matcher(line); m.find(); ) code.add(m.group(1));
            }
            for (String c : code) {
                if (!fenced) {
                    for (Matcher m = KEY.matcher(c); m.find(); ) {
                        String key = m.group(1);
                        if (!isOurs(key) && !isFileName(key)) {
                            problems.add(at + "config key " + key + " is not in reference.conf");
                        }
                    }
                }
                for (Matcher m = COMMAND.matcher(c); m.find(); ) {
                    if (!commands.contains(m.group(1))) {
                        problems.add(at + "sparkprop " + m.group(1) + ": not a command ("
                                + String.join(", ", commands) + ")");
                    }
                }
            }
            for (Matcher m = SET.matcher(line); m.find(); ) {
                if (!isKnown(m.group(1))) {
                    problems.add(at + "--set " + m.group(1) + ": not a key of reference.conf");
                }
            }
        }
        return problems;
    }

    private void checkTestNames(String line, String at, List<String> problems) {
        for (Matcher m = TEST_NAME.matcher(line); m.find(); ) {
            Path file = testFiles.get(m.group(1));
            if (file == null) {
                problems.add(at + "test class " + m.group(1) + " has no file under */src/test/java");
            } else if (m.group(2) != null && !hasMethod(file, m.group(2))) {
                problems.add(at + m.group(1) + " has no method " + m.group(2));
            }
        }
    }

    private void checkHocon(String text, String at, List<String> problems) {
        Config block;
        try {
            block = ConfigFactory.parseString(text);
        } catch (ConfigException e) {
            problems.add(at + "does not parse: " + e.getMessage());
            return;
        }
        Set<String> keys = new TreeSet<>();
        block.entrySet().forEach(e -> keys.add(e.getKey()));
        for (String key : keys) {
            if (!isKnown(key)) {
                problems.add(at + key + " is not in reference.conf");
            }
        }
    }

    /** A key reference.conf or the sweep block owns, or not ours at all (another section, Spark's listed keys). */
    private boolean isOurs(String key) {
        String first = key.substring(0, key.indexOf('.'));
        if (!sections.contains(first) && !first.equals("sweep")) {
            return true; // a package, a host name, a file: not a key of ours
        }
        return isKnown(key) || SPARK_KEYS.contains(key);
    }

    /** A key of reference.conf (or a section of one), or a key under a sweep { ... } block. */
    private boolean isKnown(String key) {
        if (key.startsWith("sweep.")) {
            String second = key.substring(6).split("\\.", 2)[0];
            return sweepKeys.contains(second);
        }
        return referenceKeys.contains(key);
    }

    private static boolean isFileName(String key) {
        return FILE_EXTENSIONS.contains(key.substring(key.lastIndexOf('.') + 1));
    }

    private static boolean hasMethod(Path file, String name) {
        try {
            return Pattern.compile("\\b" + Pattern.quote(name) + "\\w*\\s*\\(")
                    .matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names SweepSpec accepts directly under sweep { ... } (its KEYS list, read so the two cannot drift). */
    @SuppressWarnings("unchecked")
    private static Set<String> sweepKeys() {
        try {
            Field keys = Class.forName("io.sparkprop.trainer.sweep.SweepSpec").getDeclaredField("KEYS");
            keys.setAccessible(true);
            return new TreeSet<>((List<String>) keys.get(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SweepSpec.KEYS: " + e, e);
        }
    }

    /** The surefire working directory is the module's; the repository root is the first parent with both modules. */
    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md"))
                    && Files.isRegularFile(d.resolve("trainer/src/main/resources/reference.conf"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
