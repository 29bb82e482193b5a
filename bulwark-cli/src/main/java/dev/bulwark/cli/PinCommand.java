package dev.bulwark.cli;

import dev.bulwark.trust.ImageUse;
import dev.bulwark.trust.Pinner;
import dev.bulwark.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `bulwark pin`: Pin image references in Dockerfiles, Compose files and Kubernetes manifests to digests. */
@Command(name = "pin", mixinStandardHelpOptions = true,
        description = {"Pin image references in Dockerfiles (FROM, ARG defaults), Compose files and Kubernetes manifests to",
                "NAME:TAG@sha256:... as the registry serves them now, editing only the references (comments and formatting kept).",
                "A multi-platform image is pinned to its index digest (as docker pull records it) once the index is seen to offer --platform."})
final class PinCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Dockerfiles, Compose files, Kubernetes manifests.")
    List<Path> files = new ArrayList<>();
    @Option(names = "--check", description = "Change nothing, ask no registry: list unpinned references and exit 1 if there are any.")
    boolean check;
    @Option(names = "--dry-run", description = "Resolve and print the changes as a diff; write nothing.")
    boolean dryRun;
    @Mixin
    SignCommand.RegistryOptions registry;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (check && dryRun) throw new IllegalArgumentException("--check and --dry-run exclude each other");
            if (check) {
                int unpinned = 0;
                for (Path f : files) {
                    for (ImageUse u : Pinner.references(f)) {
                        if (u.pinned()) continue;
                        unpinned++;
                        out.println(f + ":" + (u.line() + 1) + ": " + u.image() + " is not pinned to a digest (" + u.context() + ")");
                    }
                }
                if (unpinned == 0) out.println("all image references are pinned");
                return unpinned == 0 ? ExitCode.OK.code : ExitCode.FINDINGS.code;
            }
            // Resolve everything before writing anything: one bad reference leaves every file untouched.
            Pinner pinner = new Pinner(registry.options());
            List<Pinner.Plan> plans = new ArrayList<>();
            for (Path f : files) plans.add(pinner.plan(f));
            for (Pinner.Plan p : plans) {
                if (dryRun) {
                    if (!p.changes()) continue;
                    out.println("--- " + p.file());
                    out.println("+++ " + p.file());
                    for (Pinner.Edit e : p.edits()) {
                        out.println("@@ -" + e.line() + " +" + e.line() + " @@ " + e.context() + (e.index() ? " (index digest: multi-platform)" : ""));
                        out.println("-" + p.original().split("\n", -1)[e.line() - 1]);
                        out.println("+" + p.pinned().split("\n", -1)[e.line() - 1]);
                    }
                    continue;
                }
                if (p.changes()) Pinner.write(p);
                for (Pinner.Edit e : p.edits())
                    out.println(p.file() + ":" + e.line() + ": " + e.before() + " -> " + e.after() + (e.index() ? " (index digest: multi-platform)" : ""));
            }
            return ExitCode.OK.code;
        } catch (TrustException | IOException | IllegalArgumentException e) {
            return ExitCode.report(e, err);
        }
    }
}
