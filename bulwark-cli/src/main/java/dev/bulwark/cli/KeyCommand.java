package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark key`: Signing keys: generate ECDSA P-256 key pairs. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Signing keys: generate ECDSA P-256 key pairs.", subcommands = {})
final class KeyCommand {
}
