package dev.bulwark.policy.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ("512Mi", "1.5G", "250m", "1e3") as numbers Docker's fields use: memory in
 * bytes, CPU in nano-CPUs, so {@code memory} and {@code nanoCpus} mean the same for both sources.
 */
final class Quantities {
    private static final Pattern Q = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(?:([eE][+-]?[0-9]{1,3})|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?");

    private Quantities() {
    }

    /** The quantity as a decimal, or null when it is not one. */
    static BigDecimal parse(String s) {
        if (s == null || s.length() > 64) return null;
        Matcher m = Q.matcher(s.strip());
        if (!m.matches()) return null;
        BigDecimal v = new BigDecimal(m.group(1));
        if (m.group(2) != null) return v.scaleByPowerOfTen(Integer.parseInt(m.group(2).substring(1)));
        String suffix = m.group(3);
        if (suffix == null) return v;
        return switch (suffix) {
            case "Ki" -> v.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> v.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> v.multiply(BigDecimal.valueOf(1L << 30));
            case "Ti" -> v.multiply(BigDecimal.valueOf(1L << 40));
            case "Pi" -> v.multiply(BigDecimal.valueOf(1L << 50));
            case "Ei" -> v.multiply(BigDecimal.valueOf(1L << 60));
            case "n" -> v.scaleByPowerOfTen(-9);
            case "u" -> v.scaleByPowerOfTen(-6);
            case "m" -> v.scaleByPowerOfTen(-3);
            case "k" -> v.scaleByPowerOfTen(3);
            case "M" -> v.scaleByPowerOfTen(6);
            case "G" -> v.scaleByPowerOfTen(9);
            case "T" -> v.scaleByPowerOfTen(12);
            case "P" -> v.scaleByPowerOfTen(15);
            case "E" -> v.scaleByPowerOfTen(18);
            default -> null;
        };
    }

    /** Bytes (rounded up), 0 when absent or unparsable, capped at Long.MAX_VALUE. */
    static long bytes(String s) {
        return toLong(parse(s), 0);
    }

    /** Nano-CPUs ("250m" is 250000000). */
    static long nanoCpus(String s) {
        return toLong(parse(s), 9);
    }

    private static long toLong(BigDecimal v, int scale) {
        if (v == null || v.signum() <= 0) return 0L;
        BigDecimal x = v.scaleByPowerOfTen(scale).setScale(0, RoundingMode.CEILING);
        return x.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : x.longValueExact();
    }
}
