package dev.bulwark.harden.seccomp;

import java.util.Optional;

/**
 * libseccomp's argument comparisons. Values are compared as unsigned 64-bit numbers (as the BPF libseccomp emits
 * does); {@link #MASKED_EQ} is {@code (arg & value) == valueTwo}.
 */
public enum Op {
    NE("SCMP_CMP_NE", "!="),
    LT("SCMP_CMP_LT", "<"),
    LE("SCMP_CMP_LE", "<="),
    EQ("SCMP_CMP_EQ", "=="),
    GE("SCMP_CMP_GE", ">="),
    GT("SCMP_CMP_GT", ">"),
    MASKED_EQ("SCMP_CMP_MASKED_EQ", "&");

    private final String scmpName;
    private final String symbol;

    Op(String scmpName, String symbol) {
        this.scmpName = scmpName;
        this.symbol = symbol;
    }

    public String scmpName() {
        return scmpName;
    }

    String symbol() {
        return symbol;
    }

    /** Whether {@code arg} satisfies this comparison against {@code value} (and {@code valueTwo} for MASKED_EQ). */
    public boolean test(long arg, long value, long valueTwo) {
        return switch (this) {
            case NE -> arg != value;
            case LT -> Long.compareUnsigned(arg, value) < 0;
            case LE -> Long.compareUnsigned(arg, value) <= 0;
            case EQ -> arg == value;
            case GE -> Long.compareUnsigned(arg, value) >= 0;
            case GT -> Long.compareUnsigned(arg, value) > 0;
            case MASKED_EQ -> (arg & value) == valueTwo;
        };
    }

    public static Optional<Op> parse(String s) {
        for (Op o : values()) {
            if (o.scmpName.equals(s)) return Optional.of(o);
        }
        return Optional.empty();
    }
}
