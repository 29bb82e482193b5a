package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark run`: Run an image under runc with hardened settings: read-only root, user namespace, dropped capabilities, seccomp, cgroup limits. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an image under runc with hardened settings: read-only root, user namespace, dropped capabilities, seccomp, cgroup limits.", subcommands = {})
final class RunCommand {
}
