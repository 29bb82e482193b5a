package dev.bulwark.cli;

import picocli.CommandLine.Command;

/**
 * `bulwark scan TARGET`: everything Bulwark can tell about an image. Today that is its inventory; vulnerability
 * matching joins it once the advisory database lands (issue 3), on the same inventory.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan an image: packages, licences and layers (vulnerabilities once a database is installed).")
final class ScanCommand extends SbomCommand {
}
