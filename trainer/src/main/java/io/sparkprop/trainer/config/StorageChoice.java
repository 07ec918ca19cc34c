// spark.storage-level: where Spark keeps the cached row blocks; the constants are Spark's StorageLevel names.
package io.sparkprop.trainer.config;

/**
 * {@link #id()} is the config spelling, upper-case as Spark spells it, so the Spark engine turns it into a level
 * with {@code StorageLevel.fromString(id())} (this module never imports Spark).
 */
public enum StorageChoice {
    NONE, DISK_ONLY, DISK_ONLY_2, MEMORY_ONLY, MEMORY_ONLY_2, MEMORY_ONLY_SER, MEMORY_ONLY_SER_2, MEMORY_AND_DISK,
    MEMORY_AND_DISK_2, MEMORY_AND_DISK_SER, MEMORY_AND_DISK_SER_2, OFF_HEAP;

    public String id() {
        return name();
    }
}
