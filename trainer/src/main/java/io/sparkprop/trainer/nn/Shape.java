// The shape of one example at a layer boundary: channels × height × width, stored channel-major (CHW, as PyTorch).
package io.sparkprop.trainer.nn;

import java.io.Serializable;

/**
 * A flat feature vector of n values is {@code [n, 1, 1]} and prints as {@code [n]}. Element (c, y, x) of an
 * example sits at {@code c·H·W + y·W + x} inside that example's column, so flattening is free and matches
 * PyTorch's {@code flatten}.
 */
public record Shape(int channels, int height, int width) implements Serializable {

    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a shape needs positive sizes, got [" + channels + ", " + height
                    + ", " + width + "]");
        }
    }

    /** A flat vector of n values. */
    public static Shape flat(int n) {
        return new Shape(n, 1, 1);
    }

    /** Values per example. */
    public int size() {
        return channels * height * width;
    }

    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return isFlat() ? "[" + channels + "]" : "[" + channels + ", " + height + ", " + width + "]";
    }
}
