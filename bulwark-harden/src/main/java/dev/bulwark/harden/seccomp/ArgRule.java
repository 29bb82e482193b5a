package dev.bulwark.harden.seccomp;

import java.util.Objects;

/**
 * One comparison on one syscall argument. {@code value} and {@code valueTwo} hold unsigned 64-bit numbers in a
 * long's bits ({@code 0xffffffffffffffff} is -1 here and 18446744073709551615 in the JSON).
 *
 * @param index    argument position, 0 to 5
 * @param value    the operand; the mask for MASKED_EQ
 * @param valueTwo the expected masked value for MASKED_EQ, else 0
 */
public record ArgRule(int index, long value, long valueTwo, Op op) {
    public ArgRule {
        Objects.requireNonNull(op, "op");
        if (index < 0 || index > 5) throw new IllegalArgumentException("argument index " + index + " is not 0 to 5");
    }

    boolean test(long[] args, boolean wide) {
        long arg = args[index];
        if (!wide) {
            // A 32-bit filter loads only the low word of the argument; libseccomp compares the high word with 0.
            arg &= 0xffffffffL;
        }
        return op.test(arg, value, valueTwo);
    }

    /** "arg0 == 0x20000", "arg1 & 0x7e020000 == 0". */
    String describe() {
        String v = hex(value);
        return switch (op) {
            case MASKED_EQ -> "arg" + index + " & " + v + " == " + hex(valueTwo);
            default -> "arg" + index + " " + op.symbol() + " " + v;
        };
    }

    static String hex(long v) {
        return Long.compareUnsigned(v, 16) < 0 ? Long.toUnsignedString(v) : "0x" + Long.toHexString(v);
    }
}
