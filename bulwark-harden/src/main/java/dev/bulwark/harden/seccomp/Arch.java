package dev.bulwark.harden.seccomp;

import java.util.Locale;
import java.util.Optional;

/**
 * The architectures a seccomp filter can hold, under the three names people use for them: the profile's
 * {@code SCMP_ARCH_*}, libseccomp's token (what {@code scmp_sys_resolver -a} takes and the syscall table is keyed
 * by) and Go's {@code GOARCH}, which is what Docker compares a rule's {@code includes.arches} with.
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", "x86_64", "amd64", true),
    X86("SCMP_ARCH_X86", "x86", "386", false),
    X32("SCMP_ARCH_X32", "x32", "x32", false),
    AARCH64("SCMP_ARCH_AARCH64", "aarch64", "arm64", true),
    ARM("SCMP_ARCH_ARM", "arm", "arm", false),
    MIPS("SCMP_ARCH_MIPS", "mips", "mips", false),
    MIPSEL("SCMP_ARCH_MIPSEL", "mipsel", "mipsle", false),
    MIPS64("SCMP_ARCH_MIPS64", "mips64", "mips64", true),
    MIPSEL64("SCMP_ARCH_MIPSEL64", "mipsel64", "mips64le", true),
    MIPS64N32("SCMP_ARCH_MIPS64N32", "mips64n32", "mips64n32", false),
    MIPSEL64N32("SCMP_ARCH_MIPSEL64N32", "mipsel64n32", "mips64len32", false),
    PPC("SCMP_ARCH_PPC", "ppc", "ppc", false),
    PPC64("SCMP_ARCH_PPC64", "ppc64", "ppc64", true),
    PPC64LE("SCMP_ARCH_PPC64LE", "ppc64le", "ppc64le", true),
    S390("SCMP_ARCH_S390", "s390", "s390", false),
    S390X("SCMP_ARCH_S390X", "s390x", "s390x", true),
    RISCV64("SCMP_ARCH_RISCV64", "riscv64", "riscv64", true),
    LOONGARCH64("SCMP_ARCH_LOONGARCH64", "loongarch64", "loong64", true),
    PARISC("SCMP_ARCH_PARISC", "parisc", "parisc", false),
    PARISC64("SCMP_ARCH_PARISC64", "parisc64", "parisc64", true);

    private final String scmpName;
    private final String token;
    private final String goArch;
    private final boolean wideArgs;

    Arch(String scmpName, String token, String goArch, boolean wideArgs) {
        this.scmpName = scmpName;
        this.token = token;
        this.goArch = goArch;
        this.wideArgs = wideArgs;
    }

    /** {@code SCMP_ARCH_X86_64}: the spelling of profiles. */
    public String scmpName() {
        return scmpName;
    }

    /** {@code x86_64}: libseccomp's token, the key of the syscall table. */
    public String token() {
        return token;
    }

    /** {@code amd64}: Go's name, which Docker matches {@code includes/excludes.arches} against. */
    public String goArch() {
        return goArch;
    }

    /** Whether syscall arguments are 64 bits wide; on the others the filter sees only the low 32 bits. */
    public boolean wideArgs() {
        return wideArgs;
    }

    /** Any of the three spellings, case-insensitive ({@code SCMP_ARCH_X86_64}, {@code x86_64}, {@code amd64}). */
    public static Optional<Arch> parse(String s) {
        if (s == null) return Optional.empty();
        String t = s.strip().toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.scmpName.toLowerCase(Locale.ROOT).equals(t) || a.token.equals(t) || a.goArch.equals(t)) {
                return Optional.of(a);
            }
        }
        if (t.equals("i386") || t.equals("i686")) return Optional.of(X86);
        return Optional.empty();
    }

    /** The machine this JVM runs on ({@code os.arch}), or x86_64 when the JDK names something unknown. */
    public static Arch host() {
        return parse(System.getProperty("os.arch", "amd64")).orElse(X86_64);
    }
}
