package dev.bulwark.cli;

import picocli.CommandLine.Command;

/** `bulwark harden`: Hardened run settings for an image: docker run flags, Compose, Kubernetes securityContext, OCI config. */
@Command(name = "harden", mixinStandardHelpOptions = true, description = "Hardened run settings for an image: docker run flags, Compose, Kubernetes securityContext, OCI config.", subcommands = {})
final class HardenCommand {
}
