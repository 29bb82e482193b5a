package dev.bulwark.harden.seccomp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kernel versions as Docker compares them for {@code minKernel}: major and minor only ("5.10.0-28-amd64" is 5.10). */
final class KernelVersion {
    private static final Pattern VERSION = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})(?:[.\\-+~].*)?$");

    private KernelVersion() {}

    static boolean valid(String s) {
        return s != null && VERSION.matcher(s.strip()).matches();
    }

    /** Negative, zero or positive as a is older, the same or newer than b (major.minor). */
    static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    static int[] parse(String s) {
        Matcher m = VERSION.matcher(s.strip());
        if (!m.matches()) throw new IllegalArgumentException("not a kernel version: " + s);
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
