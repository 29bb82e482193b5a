package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark verify`: Verify an image's signatures or its Docker Content Trust (Notary) data. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify an image's signatures or its Docker Content Trust (Notary) data.", subcommands = {})
final class VerifyCommand {
}
