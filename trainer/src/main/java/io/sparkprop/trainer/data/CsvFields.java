// One line of delimited text split into its fields by Apache Commons CSV (RFC 4180 quoting).
package io.sparkprop.trainer.data;

import io.sparkprop.trainer.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * Line by line on purpose: the Spark engine's input splits end at line breaks, so a quoted field may hold the
 * separator and doubled quotes ({@code "1,5"}, {@code "say ""hi"""}) but not a line break — both engines then
 * read every file the same way. Fields are trimmed, also inside quotes, as the readers always did.
 */
final class CsvFields {
    /** A byte-order mark that an editor put at the start of a UTF-8 file; not part of the first field. */
    static final char BOM = '\uFEFF';

    private static final CSVFormat COMMA = format(',');
    private static final CSVFormat SEMICOLON = format(';');
    private static final CSVFormat TAB = format('\t');

    private CsvFields() {
    }

    private static CSVFormat format(char sep) {
        return CSVFormat.RFC4180.builder()
                .setDelimiter(sep)
                .setQuote('"')
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .setIgnoreEmptyLines(false)
                .get();
    }

    /** {@code line} without a leading byte-order mark. */
    static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == BOM ? line.substring(1) : line;
    }

    /** ',' if the line has one outside quotes, else ';', else tab (a one-column line: ','). */
    static char separatorOf(String line) {
        boolean quoted = false;
        boolean semicolon = false;
        boolean tab = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == ',') {
                    return ',';
                }
                semicolon |= c == ';';
                tab |= c == '\t';
            }
        }
        return semicolon ? ';' : tab ? '\t' : ',';
    }

    /**
     * The fields of one (non-empty) line; malformed quoting is a UserError naming {@code name:line}.
     *
     * @param sep ',', ';' or tab, as {@link #separatorOf} chose for the file's first line
     */
    static String[] split(String line, char sep, String name, long lineNo) {
        CSVFormat format = switch (sep) {
            case ',' -> COMMA;
            case ';' -> SEMICOLON;
            case '\t' -> TAB;
            default -> throw new IllegalArgumentException("separator " + (int) sep + " is not one separatorOf picks");
        };
        try (CSVParser parser = CSVParser.parse(line, format)) {
            // One record: the line holds no line break (the readers split the text into lines first).
            return parser.iterator().next().values();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw UserError.at(name, lineNo, quotingProblem(line));
        }
    }

    /** What is wrong with a line Commons CSV refused: a quote left open, or text after a closing quote. */
    private static String quotingProblem(String line) {
        long quotes = line.chars().filter(c -> c == '"').count();
        if (quotes % 2 == 1) {
            return "unclosed double quote (a quoted field must end on the same line)";
        }
        return "malformed quoted field: text after the closing quote (write a quote inside a quoted field as \"\")";
    }
}
