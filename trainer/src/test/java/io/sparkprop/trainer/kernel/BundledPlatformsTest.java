// Which platforms the bundled OpenBLAS serves: Java's os.name/os.arch mapped to org.bytedeco's platform names, and
// each bundled library built for the CPU its folder names (read from its ELF header).
package io.sparkprop.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class BundledPlatformsTest {
    /** ELF e_machine values: x86-64 and AArch64. */
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    @Test
    void javaPlatformNamesMapToTheBundledFolders() {
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
        assertEquals("linux-arm64", NativeLibrary.platform("Linux", "aarch64"));
        assertEquals("macosx-arm64", NativeLibrary.platform("Mac OS X", "aarch64"));
    }

    @Test
    void linuxX86AndArmLibrariesAreBundledForTheirCpus() throws IOException {
        assertEquals(EM_X86_64, elfMachine(NativeLibrary.bundledOpenBlas("linux-x86_64")));
        assertEquals(EM_AARCH64, elfMachine(NativeLibrary.bundledOpenBlas("linux-arm64")));
        // netlib's JNI stub has no macOS build, so nothing is bundled there (auto runs ojAlgo).
        assertNull(NativeLibrary.bundledOpenBlas("macosx-arm64"));
    }

    /** The e_machine field of a little-endian 64-bit ELF file (bytes 18–19). */
    private static int elfMachine(URL library) throws IOException {
        assertNotNull(library, "library not on the classpath");
        try (InputStream in = library.openStream()) {
            byte[] head = in.readNBytes(20);
            assertEquals(0x7f, head[0]);
            assertEquals('E', head[1]);
            assertEquals(2, head[4], "not a 64-bit ELF file");
            return ByteBuffer.wrap(head, 18, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        }
    }
}
