package dev.bulwark.model;

import java.util.Locale;

/** An OCI platform: os/architecture[/variant]. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        os = os == null || os.isBlank() ? "linux" : os.toLowerCase(Locale.ROOT);
        if (architecture == null || architecture.isBlank()) throw new IllegalArgumentException("platform without architecture");
        architecture = architecture.toLowerCase(Locale.ROOT);
        variant = variant == null || variant.isBlank() ? null : variant;
    }

    /** Parses "linux/amd64", "linux/arm64/v8" or "amd64". */
    public static Platform parse(String s) {
        String[] p = s.trim().split("/");
        return switch (p.length) {
            case 1 -> new Platform("linux", p[0], null);
            case 2 -> new Platform(p[0], p[1], null);
            case 3 -> new Platform(p[0], p[1], p[2]);
            default -> throw new IllegalArgumentException("malformed platform '" + s + "' (expected os/arch[/variant])");
        };
    }

    /** The platform of this JVM's machine, in Go's architecture names. */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> System.getProperty("os.arch");
        };
        return new Platform("linux", arch, null);
    }

    /** True if this (wanted) platform accepts {@code offered}; a missing wanted variant accepts any. */
    public boolean accepts(Platform offered) {
        if (offered == null) return false;
        if (!os.equals(offered.os) || !architecture.equals(offered.architecture)) return false;
        if (variant == null) return true;
        return variant.equals(offered.variant) || (offered.variant == null && architecture.equals("arm64") && variant.equals("v8"));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
