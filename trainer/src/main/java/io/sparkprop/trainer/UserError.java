// A mistake in the user's input (config, data or model file): reported as one line, exit code 2, no stack trace.
package io.sparkprop.trainer;

/**
 * Thrown wherever input is validated. The message is the whole report: it names the file and line
 * ({@code data.csv:17: ...}) or the config key ({@code optimizer.learning-rate: ...}) and says what was expected.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file:line: message" — the form every reader uses. */
    public static UserError at(String file, long line, String message) {
        return new UserError(file + ":" + line + ": " + message);
    }
}
