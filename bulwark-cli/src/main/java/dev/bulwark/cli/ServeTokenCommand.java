package dev.bulwark.cli;

import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Role;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `bulwark serve token create|list|revoke`: API tokens, written straight into the server DB. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens (stored hashed; the secret is shown once).",
        subcommands = {ServeTokenCommand.Create.class, ServeTokenCommand.ListTokens.class, ServeTokenCommand.Revoke.class})
final class ServeTokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("bulwark: say what to do: serve token create|list|revoke");
        return ExitCode.USAGE.code;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a token and print it (once) on stdout.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServeStoreOptions store;
        @Mixin
        DbOptions db;
        @Spec
        CommandSpec spec;

        @Option(names = "--role", paramLabel = "ROLE", description = "read, scan or admin (default read).")
        String role = "read";

        @Option(names = "--name", paramLabel = "NAME", description = "Who or what holds it (default: the role).")
        String name;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Role r;
            try {
                r = Role.parse(role);
            } catch (IllegalArgumentException e) {
                err.println("bulwark: --role: " + e.getMessage());
                return ExitCode.USAGE.code;
            }
            try (Store s = store.open(db, 2)) {
                Tokens.Created c = new Tokens(s).create(name == null ? r.wire() : name, r);
                spec.commandLine().getOut().println(c.token());
                spec.commandLine().getOut().flush();
                err.println("bulwark: token " + c.id() + " (" + r.wire() + ") created in " + s.describe() + "; it is not shown again");
                return ExitCode.OK.code;
            } catch (ServerException | IllegalArgumentException e) {
                return ExitCode.report(e, err);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tokens: id, role, name, created, revoked (never the secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ServeStoreOptions store;
        @Mixin
        DbOptions db;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Store s = store.open(db, 2)) {
                PrintWriter out = spec.commandLine().getOut();
                for (Tokens.Info t : new Tokens(s).list()) {
                    out.println(t.id() + "\t" + t.role().wire() + "\t" + t.name() + "\t" + t.createdAt() + (t.revoked() ? "\trevoked" : ""));
                }
                out.flush();
                return ExitCode.OK.code;
            } catch (ServerException e) {
                return ExitCode.report(e, spec.commandLine().getErr());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ServeStoreOptions store;
        @Mixin
        DbOptions db;
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The token's id (from 'serve token list').")
        long id;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Store s = store.open(db, 2)) {
                if (!new Tokens(s).revoke(id)) {
                    err.println("bulwark: no token " + id + " in " + s.describe());
                    return ExitCode.INPUT.code;
                }
                err.println("bulwark: token " + id + " revoked");
                return ExitCode.OK.code;
            } catch (ServerException e) {
                return ExitCode.report(e, err);
            }
        }
    }
}
