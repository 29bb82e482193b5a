package dev.bulwark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point: the only main and the only System.exit. */
@Command(name = "bulwark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Container-security toolkit: what is inside an image, and what is wrong with it.")
public final class Main {
    /**
     * The subcommands, in the order `bulwark --help` lists them. Registered lazily: picocli reads every registered
     * command's annotations (and loads the classes they name) before parsing, which for all of them costs more than
     * a `bulwark run` of a small container; a command line that names one gets only that one.
     */
    static final java.util.Map<String, Class<?>> COMMANDS = commands(
            "sbom", SbomCommand.class, "scan", ScanCommand.class, "db", DbCommand.class, "audit", AuditCommand.class,
            "policy", PolicyCommand.class, "authz", AuthzCommand.class, "admission", AdmissionCommand.class,
            "profile", ProfileCommand.class, "harden", HardenCommand.class, "run", RunCommand.class, "pin", PinCommand.class,
            "key", KeyCommand.class, "sign", SignCommand.class, "verify", VerifyCommand.class, "test", TestCommand.class,
            "serve", ServeCommand.class);

    /** Names written out rather than read from each class's annotation, which would load every command class. */
    private static java.util.Map<String, Class<?>> commands(Object... nameThenClass) {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) m.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        if (args.length > 0 && args[0].equals("run")) {
            // `run` ends when its container has ended and its directories and cgroups are removed (finally blocks;
            // it registers no shutdown hook). System.exit would first look up a logging backend for its exit
            // log record (JDK 21+), which asks every jar of the class path for a service: 20 ms of every run.
            out.flush();
            err.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /** Runs a command line; returns the exit code (tests call this directly). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        // picocli's default factory looks for Groovy's Closure class once; a class that is not there is looked
        // for in every jar of the class path (about 70), which took 45 ms of every start, `bulwark run`'s too
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(args[0], named);
        } else { // help, --version, a mistake: everything, so that usage and suggestions name every command
            COMMANDS.forEach(cl::addSubcommand);
            cl.addSubcommand("help", CommandLine.HelpCommand.class);
        }
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
