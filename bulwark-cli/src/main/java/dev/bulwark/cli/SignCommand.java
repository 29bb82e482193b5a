package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark sign`: Sign an image's manifest digest (cosign's format, stored in the registry). */
@Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign an image's manifest digest (cosign's format, stored in the registry).", subcommands = {})
final class SignCommand {
}
