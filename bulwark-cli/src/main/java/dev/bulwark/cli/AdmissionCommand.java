package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark admission`: The Kubernetes validating admission webhook. */
@Command(name = "admission", mixinStandardHelpOptions = true, description = "The Kubernetes validating admission webhook.", subcommands = {})
final class AdmissionCommand {
}
