package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark profile`: Seccomp and AppArmor profiles: generate, learn, edit, explain. */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Seccomp and AppArmor profiles: generate, learn, edit, explain.", subcommands = {})
final class ProfileCommand {
}
