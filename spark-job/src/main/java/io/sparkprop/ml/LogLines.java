// The training loop's progress lines (one per epoch) sent to the log instead of stderr.
package io.sparkprop.ml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An OutputStream that logs each completed line at INFO under io.sparkprop.ml. */
final class LogLines extends java.io.OutputStream {
    private static final Logger LOG = LoggerFactory.getLogger("io.sparkprop.ml");
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
        if (b == '\n') {
            LOG.info(line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }
}
