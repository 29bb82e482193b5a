package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark policy`: Check and test policy files (the rules of authz serve and admission serve). */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Check and test policy files (the rules of authz serve and admission serve).", subcommands = {})
final class PolicyCommand {
}
