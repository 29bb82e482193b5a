package dev.bulwark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: the only main and the only System.exit. */
@Command(name = "bulwark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Container-security toolkit: what is inside an image, and what is wrong with it.",
        subcommands = {SbomCommand.class, ScanCommand.class, DbCommand.class, AuditCommand.class, PolicyCommand.class, AuthzCommand.class,
                AdmissionCommand.class, ProfileCommand.class, HardenCommand.class, RunCommand.class, PinCommand.class, KeyCommand.class, SignCommand.class,
                VerifyCommand.class, TestCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit code (tests call this directly). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            // Anything that reaches here is a bug in Bulwark, not bad input: say so in one line, no stack trace
            // unless asked for with BULWARK_DEBUG.
            line.getErr().println("bulwark: internal error: " + ex);
            if (System.getenv("BULWARK_DEBUG") != null) ex.printStackTrace(line.getErr());
            return ExitCode.INTERNAL.code;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("bulwark: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE.code;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"bulwark " + (v == null ? "dev" : v)};
        }
    }
}
