package dev.bulwark.cli;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Inventory;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** `bulwark sbom TARGET`: the packages inside an image, as a table or an SBOM document. */
@Command(name = "sbom", mixinStandardHelpOptions = true,
        description = "List what is inside an image: OS and language packages, licences, layers.")
class SbomCommand implements Callable<Integer> {
    @Mixin
    ImageOptions image;
    @Mixin
    OutputOptions output;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat format;
        try {
            format = ReportFormat.parse(output.format);
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        try {
            Inventory inv = InventoryRunner.inventory(image, output.quiet, err);
            InventoryRunner.printWarnings(inv, output.quiet, err);
            output.write(System.out, out -> Reports.write(inv, format, out, ReportOptions.defaults()));
            return ExitCode.OK.code;
        } catch (BulwarkException | IOException | IllegalArgumentException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }
}
