// Tests for NetworkSize: a network beyond one Java array or beyond the heap is a user error naming model.hidden.
package io.sparkprop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.sparkprop.trainer.UserError;

class NetworkSizeTest {
    @Test
    void moreParametersThanAnArrayHolds() {
        UserError e = assertThrows(UserError.class,
                () -> NetworkSize.check(new int[] {7, 200000, 200000, 3}, Long.MAX_VALUE));
        assertEquals("model.hidden: the network [7, 200000, 200000, 3] has 40,002,400,003 parameters, more than the"
                + " 2,147,483,631 one parameter array can hold", e.getMessage());
    }

    @Test
    void weightsAndGradientBeyondTheHeap() {
        // 7·100 + 100 + 100·3 + 3 = 1,103 parameters: 17,648 bytes for weights and gradient.
        NetworkSize.check(new int[] {7, 100, 3}, 17_648);
        UserError e = assertThrows(UserError.class, () -> NetworkSize.check(new int[] {7, 100, 3}, 17_647));
        assertEquals("model.hidden: the network [7, 100, 3] has 1,103 parameters; its weights and gradient alone"
                + " need 0.0 GB, more than this JVM's 0.0 GB heap (-Xmx)", e.getMessage());
    }
}
