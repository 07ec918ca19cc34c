// data.scale: the feature scaling a run fits, or auto to let the data's format choose it.
package io.sparkprop.trainer.data;

import java.util.Locale;

/** {@link #id()} is the config spelling; a fitted {@link Scaler} keeps the {@link Scaler.Kind} this resolves to. */
public enum Scaling {
    /**
     * minmax for sparse LIBSVM rows and IDX images — bounded, mostly-zero columns where min-max keeps 0 at 0 —
     * and standard for dense tables.
     */
    AUTO(null),
    NONE(Scaler.Kind.NONE),
    STANDARD(Scaler.Kind.STANDARD),
    MINMAX(Scaler.Kind.MINMAX);

    private final Scaler.Kind kind;

    Scaling(Scaler.Kind kind) {
        this.kind = kind;
    }

    /** The kind for data read as {@code format}: a {@link DataFormat#id()} or "builtin" ({@link Loaded#format()}). */
    public Scaler.Kind kindFor(String format) {
        if (kind != null) {
            return kind;
        }
        return DataFormat.LIBSVM.id().equals(format) || DataFormat.IDX.id().equals(format)
                ? Scaler.Kind.MINMAX : Scaler.Kind.STANDARD;
    }

    /** The same for data read by Spark as {@code format}: CSV, LIBSVM, or null for other input (a DataFrame). */
    public Scaler.Kind kindFor(DataFormat format) {
        return kindFor(format == null ? null : format.id());
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
