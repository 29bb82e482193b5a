package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark authz`: The Docker authorization plugin. */
@Command(name = "authz", mixinStandardHelpOptions = true, description = "The Docker authorization plugin.", subcommands = {})
final class AuthzCommand {
}
