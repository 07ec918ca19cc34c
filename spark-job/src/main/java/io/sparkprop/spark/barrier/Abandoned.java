// Thrown to a task's connection on the driver whose attempt has been superseded or failed: it hangs up on the task.
package io.sparkprop.spark.barrier;

/** A control-flow signal, not an error of the run: no stack trace. */
final class Abandoned extends Exception {
    Abandoned(String why) {
        super(why, null, false, false);
    }
}
