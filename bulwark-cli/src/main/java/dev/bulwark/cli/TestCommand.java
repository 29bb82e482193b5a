package dev.bulwark.cli;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.imagetest.ImageFacts;
import dev.bulwark.harden.imagetest.ImageTestReport;
import dev.bulwark.harden.imagetest.ImageTestWriters;
import dev.bulwark.harden.imagetest.ImageTester;
import dev.bulwark.harden.imagetest.Spec;
import dev.bulwark.harden.imagetest.SpecParser;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.model.BulwarkException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec.Target;

/** `bulwark test IMAGE --spec FILE`: functional tests of an image (docs/image-test.md). */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that an image keeps the promises a spec file makes: commands run in it (hardened as 'bulwark run',"
                + " under runc, gVisor or in a micro-VM: a test's isolation), files in its final filesystem, its config, its licences and security gates (docs/image-test.md).",
                "Exit 0 when every test passes, 1 when one fails or cannot be carried out, 2 usage, 3 bad spec or image."})
final class TestCommand implements Callable<Integer> {
    @Mixin
    ImageOptions image;
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The spec (YAML, schema: docs/image-test.md).")
    Path specFile;
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table, json or junit (default: table).")
    String format = "table";
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE (whole or not at all) instead of standard output.")
    Path output;
    @Mixin
    DbOptions db;
    @Option(names = "--userns", arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run command tests in a user namespace (default true), as bulwark run does.")
    boolean userns = true;
    @Option(names = "--rootfs-dir", paramLabel = "DIR", description = "Where unpacked images are kept (default " + RunCommand.DEFAULT_ROOTFS_DIR + ").")
    Path rootfsDir;
    @Option(names = "--runc", paramLabel = "PATH", description = "The runc binary (default: runc on PATH).")
    Path runc;
    @Mixin
    IsolationOptions levels;
    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;
    @picocli.CommandLine.Spec(Target.SELF)
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (image.target == null) {
            err.println("bulwark: test needs an IMAGE: bulwark test IMAGE --spec FILE");
            return ExitCode.USAGE.code;
        }
        if (!format.equals("table") && !format.equals("json") && !format.equals("junit")) {
            err.println("bulwark: --format " + format + ": one of table, json, junit");
            return ExitCode.USAGE.code;
        }
        try {
            // a bad spec stops the run before the image is read
            Spec parsed = SpecParser.read(specFile);
            ImageTester.RunSetup run = null;
            if (!parsed.commands().isEmpty()) {
                Set<Isolation> used = EnumSet.noneOf(Isolation.class);
                for (Spec.CommandTest t : parsed.commands()) used.add(t.isolation());
                Path runcPath = runc != null ? runc : RunCommand.which("runc");
                if (!Files.isRegularFile(runcPath) || !Files.isExecutable(runcPath)) throw new HardenException(runcPath.toString(), "not an executable runc");
                // only what the spec's tests use must be there
                Path runscPath = used.contains(Isolation.SANDBOX) ? levels.runsc() : null;
                MicroVm.Options vm = used.contains(Isolation.VM) ? levels.vm(null) : null;
                Path store = rootfsDir != null ? rootfsDir : Path.of(RunCommand.DEFAULT_ROOTFS_DIR);
                if (rootfsDir == null) RunCommand.makeStore(store);
                RunSpec.IdMap map = userns ? Runner.idMap() : null;
                run = new ImageTester.RunSetup(runcPath, store, store.resolveSibling("run"), map, runscPath, vm);
            }
            boolean needsFacts = parsed.gates() != null || (parsed.licences() != null
                    && (parsed.licences().forbidden() != null || parsed.licences().packageCopyright() != null));
            boolean secrets = parsed.gates() != null && parsed.gates().noSecrets() != null && parsed.gates().noSecrets().value();
            ImageFacts facts = needsFacts ? new ImageTestFacts(image, db.location(), secrets, err, System.getenv()) : ImageFacts.NONE;
            ImageTestReport report = ImageTester.run(image.target, parsed, facts, new ImageTester.Options(image.sourceOptions(System.in), run,
                    quiet ? null : m -> {
                        err.println("bulwark: " + m);
                        err.flush();
                    }));
            OutputOptions out = new OutputOptions();
            out.output = output;
            out.write(System.out, os -> {
                switch (format) {
                    case "json" -> ImageTestWriters.json(report, os);
                    case "junit" -> ImageTestWriters.junit(report, os);
                    default -> {
                        OutputStreamWriter w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                        ImageTestWriters.table(report, w);
                        w.flush();
                    }
                }
            });
            if (!quiet && output != null) {
                err.println("bulwark: " + report.results().size() + " tests, " + report.count(dev.bulwark.harden.imagetest.TestResult.Status.PASS)
                        + " passed; report in " + output);
            }
            return report.passed() ? ExitCode.OK.code : ExitCode.FINDINGS.code;
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        } catch (BulwarkException | IOException | InterruptedException e) {
            return ExitCode.report(e, err);
        } finally {
            err.flush();
        }
    }
}
