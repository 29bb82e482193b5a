package dev.bulwark.harden;

import dev.bulwark.harden.apparmor.AppArmor;
import dev.bulwark.harden.apparmor.BaneConfig;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The module's front door for profiles: a seccomp allow-list learned from a workload or an strace log, and an
 * AppArmor profile from bane's TOML. Finer work (evaluate, edit, diff, explain) is on {@link Seccomp}.
 */
public final class ProfileGenerator {
    private ProfileGenerator() {}

    /** Runs the command under strace and returns the smallest allow-list that runs it under runc. */
    public static Seccomp.Learned learnSeccomp(List<String> command, java.io.OutputStream workloadOut, Duration timeout)
            throws HardenException, InterruptedException {
        return Seccomp.learn(command, workloadOut, timeout);
    }

    /** The allow-list of strace logs made on this machine, merged. */
    public static SeccompProfile seccompFromStrace(List<Path> logs) throws HardenException {
        List<SeccompProfile> profiles = new java.util.ArrayList<>();
        for (Path p : logs) profiles.add(Seccomp.fromStrace(p, dev.bulwark.harden.seccomp.Arch.host()));
        return Seccomp.merge(profiles);
    }

    /** An AppArmor profile from bane's TOML; {@code name} (may be null) overrides its Name. */
    public static String apparmor(Path toml, String name) throws HardenException {
        BaneConfig c = AppArmor.read(toml);
        return AppArmor.profile(c, name, toml.toString());
    }
}
