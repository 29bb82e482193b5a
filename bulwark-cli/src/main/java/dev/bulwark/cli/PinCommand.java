package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark pin`: Pin image references in Dockerfiles, Compose files and Kubernetes manifests to digests. */
@Command(name = "pin", mixinStandardHelpOptions = true, description = "Pin image references in Dockerfiles, Compose files and Kubernetes manifests to digests.", subcommands = {})
final class PinCommand {
}
