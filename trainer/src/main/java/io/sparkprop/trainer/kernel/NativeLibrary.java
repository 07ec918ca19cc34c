// Which native BLAS netlib binds to in this JVM: the system's when the dynamic loader can find it, else the
// OpenBLAS bundled in the jar (org.bytedeco:openblas's natives), chosen once, before netlib first loads.
package io.sparkprop.trainer.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * netlib's JNI stub dlopens the file named by {@value #LIB_PATH} if set, else the library {@value #LIB} names
 * (default {@value #DEFAULT_LIB}), once per JVM. So the choice is made here, before {@link BlasGemm} first touches
 * netlib: {@link #redirectToBundled} points {@value #LIB_PATH} at the bundled OpenBLAS, extracted to a temporary
 * folder with the two libraries it needs that a bare node may lack (libgfortran, libquadmath; libgcc_s and libc are
 * on every glibc system). The bundled natives are the linux-x86_64 and linux-arm64 ones (netlib's JNI stub
 * exists for Linux only); elsewhere there is none.
 */
final class NativeLibrary {
    static final String LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String LIB = "dev.ludovic.netlib.blas.nativeLib";
    static final String DEFAULT_LIB = "libblas.so.3";
    /** Where org.bytedeco:openblas keeps a platform's natives in its jar. */
    private static final String RESOURCES = "/org/bytedeco/openblas/%s/";
    /**
     * Extracted together; all but the last are loaded here, in this order (libgfortran needs libquadmath, which
     * it would otherwise look for in the system folders). Only netlib opens libopenblas itself, so the library
     * mapped into the process says whether netlib took it.
     */
    private static final List<String> BUNDLED_FILES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    /** The folder the bundled OpenBLAS was extracted to, once {@link #redirectToBundled} has run. */
    private static Path extracted;

    private NativeLibrary() {
    }

    /** "linux-x86_64", "linux-arm64", ...: org.bytedeco's platform names. */
    static String platform() {
        return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform name for Java's os.name and os.arch. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.replace(' ', '-');
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
        return o + "-" + a;
    }

    /** True when this jar carries OpenBLAS for this platform. */
    static boolean bundledAvailable() {
        return bundledOpenBlas(platform()) != null;
    }

    /** The bundled OpenBLAS for a platform, or null when this jar carries none for it. */
    static java.net.URL bundledOpenBlas(String platform) {
        return NativeLibrary.class.getResource(String.format(RESOURCES, platform) + "libopenblas.so.0");
    }

    /** "OpenBLAS 0.3.31" from the bundled artifact's Maven version (0.3.31-1.5.13: OpenBLAS, then JavaCPP's). */
    static String bundledVersion() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(
                "/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
            if (in == null) {
                return "OpenBLAS";
            }
            Properties p = new Properties();
            p.load(in);
            return "OpenBLAS " + p.getProperty("version", "").replaceFirst("-.*", "");
        } catch (IOException e) {
            return "OpenBLAS";
        }
    }

    /**
     * Whether the library netlib would open without our help is there: {@value #LIB_PATH} as a file, else
     * {@value #LIB} (or {@value #DEFAULT_LIB}) found the way the dynamic loader searches (LD_LIBRARY_PATH,
     * /etc/ld.so.cache, the default folders). Our own redirect to the bundled library does not count.
     */
    static boolean systemPresent() {
        String path = System.getProperty(LIB_PATH);
        Path ours = extractedDir();
        if (path != null && !path.isEmpty() && (ours == null || !path.startsWith(ours.toString()))) {
            return Files.isReadable(Path.of(path));
        }
        String name = System.getProperty(LIB, DEFAULT_LIB);
        if (name.contains("/")) {
            return Files.isReadable(Path.of(name));
        }
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isReadable(Path.of(d, name))) {
                return true;
            }
        }
        if (inLoaderCache(name)) {
            return true;
        }
        for (String d : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64")) {
            if (Files.isReadable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    /** /etc/ld.so.cache holds, among binary tables, each library's full path as a NUL-ended string. */
    private static boolean inLoaderCache(String name) {
        try {
            byte[] cache = Files.readAllBytes(Path.of("/etc/ld.so.cache"));
            String text = new String(cache, StandardCharsets.ISO_8859_1);
            for (String s : text.split("\0")) {
                if (s.startsWith("/") && s.endsWith("/" + name) && Files.isReadable(Path.of(s))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cache (not glibc, or unreadable): the folders decide
        }
        return false;
    }

    /**
     * Extracts the bundled OpenBLAS, loads its helpers, and points netlib at it (before netlib's first load;
     * afterwards netlib keeps what it has). Returns the library's path.
     */
    static synchronized Path redirectToBundled() {
        if (extracted == null) {
            String base = String.format(RESOURCES, platform());
            try {
                Path dir = Files.createTempDirectory("sparkprop-openblas-");
                dir.toFile().deleteOnExit();
                for (String f : BUNDLED_FILES) {
                    try (InputStream in = NativeLibrary.class.getResourceAsStream(base + f)) {
                        if (in == null) {
                            continue;
                        }
                        Path target = dir.resolve(f);
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        target.toFile().deleteOnExit();
                    }
                }
                for (String f : BUNDLED_FILES.subList(0, BUNDLED_FILES.size() - 1)) {
                    if (Files.exists(dir.resolve(f))) {
                        System.load(dir.resolve(f).toString());
                    }
                }
                extracted = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the bundled OpenBLAS", e);
            }
        }
        Path lib = extracted.resolve("libopenblas.so.0");
        System.setProperty(LIB_PATH, lib.toString());
        return lib;
    }

    /** The folder of the bundled OpenBLAS, or null when it was not extracted in this JVM. */
    static synchronized Path extractedDir() {
        return extracted;
    }

    /**
     * The BLAS libraries mapped into this process (from /proc/self/maps: files whose name has "blas"), so a
     * report names the library that really loaded; empty where /proc is not readable.
     */
    static List<String> mappedBlasLibraries() {
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String file = line.substring(slash);
                String name = file.substring(file.lastIndexOf('/') + 1);
                if (name.contains("blas") && !name.contains("netlibblasjni") && !found.contains(file)) {
                    found.add(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to list
        }
        return found;
    }

    /** The CPU's model name (OpenBLAS picks its kernels by CPU), from /proc/cpuinfo; else os.arch. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch", "?");
    }
}
