package dev.bulwark.harden.imagetest;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.imagetest.TestResult.Mismatch;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.harden.settings.HardenedSettings;
import dev.bulwark.harden.settings.Hardening;
import dev.bulwark.image.ImageRunConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command tests, each a fresh container from the one unpacked image, hardened as {@code bulwark run} hardens it:
 * read-only root, user namespace, no capabilities beyond what the image's ports need, Bulwark's seccomp filter,
 * limits, an empty network namespace. Output goes to files and is read back bounded.
 */
final class CommandChecks {
    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final int MAX_OUTPUT = 1 << 20;
    static final int MAX_OUTPUT_SHOWN = 2000;

    private final Runner.Prepared image;
    private final Runner.Prepared unshifted;
    private final ImageRunConfig config;
    private final FileTree tree;
    private final ImageTester.RunSetup setup;
    private final String target;
    private final Consumer<String> log;

    /**
     * {@code image} is the root filesystem containers and the sandbox run on (its ids shifted for the setup's user
     * namespace; null when every test runs in a VM), {@code unshifted} the one a VM shares (null when no test does).
     */
    CommandChecks(String target, Runner.Prepared image, Runner.Prepared unshifted, FileTree tree, ImageTester.RunSetup setup,
                  Consumer<String> log) {
        this.target = target;
        this.image = image;
        this.unshifted = unshifted;
        this.config = (image != null ? image : unshifted).config();
        this.tree = tree;
        this.setup = setup;
        this.log = log;
    }

    TestResult check(Spec.CommandTest t, String location) throws InterruptedException {
        long start = System.nanoTime();
        RunSpec spec;
        try {
            spec = spec(t);
        } catch (HardenException e) {
            return TestResult.error("command", t.name(), location, e.oneLine(), FileChecks.since(start));
        } catch (IllegalArgumentException e) {
            return TestResult.error("command", t.name(), location, e.getMessage(), FileChecks.since(start));
        }
        Path io;
        try {
            io = Files.createTempDirectory("bulwark-imagetest-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            return TestResult.error("command", t.name(), location, "cannot make a temporary directory: " + e.getMessage(), FileChecks.since(start));
        }
        try {
            Path in = io.resolve("stdin");
            Files.writeString(in, t.stdin() == null ? "" : t.stdin());
            // output goes through FIFOs read as it comes, the first MiB kept: a chatty command fills neither memory nor disk
            Capture so = Capture.start(io.resolve("stdout"));
            Capture se = Capture.start(io.resolve("stderr"));
            Runner.Streams streams = new Runner.Streams(ProcessBuilder.Redirect.from(in.toFile()), ProcessBuilder.Redirect.to(so.fifo().toFile()),
                    ProcessBuilder.Redirect.to(se.fifo().toFile()));
            ExecutorService one = Executors.newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "bulwark-imagetest-run");
                th.setDaemon(true);
                return th;
            });
            Integer code = null;
            boolean timedOut = false;
            String failure = null;
            try {
                Future<Integer> f = one.submit(() -> switch (t.isolation()) {
                    case CONTAINER -> Runner.run(spec, setup.runc(), setup.workDir(), streams);
                    case SANDBOX -> Runner.runSandbox(spec, setup.runsc(), setup.workDir(), streams);
                    case VM -> {
                        try (FileOutputStream o = new FileOutputStream(so.fifo().toFile());
                             FileOutputStream e = new FileOutputStream(se.fifo().toFile())) {
                            yield MicroVm.run(spec, setup.vm(), setup.workDir(), new MicroVm.Output(o, e), log);
                        }
                    }
                });
                try {
                    code = f.get(t.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    timedOut = true;
                    // interrupting the runner kills the container and removes its bundle before it returns
                    f.cancel(true);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    failure = c instanceof HardenException h ? h.oneLine() : String.valueOf(c.getMessage());
                }
            } finally {
                one.shutdown();
                if (!one.awaitTermination(60, TimeUnit.SECONDS)) one.shutdownNow();
            }
            Output out = so.finish();
            Output err = se.finish();
            if (failure != null) return TestResult.error("command", t.name(), location, failure, FileChecks.since(start));
            List<Mismatch> m = new ArrayList<>();
            if (timedOut) {
                m.add(new Mismatch("timeout", "an end within " + human(t.timeout()), "still running after " + human(t.timeout()) + " (killed)"));
            } else if (t.exitCode() != null && code != t.exitCode().intValue()) {
                m.add(new Mismatch("exitCode", Integer.toString(t.exitCode()), Integer.toString(code)));
            }
            matches("stdout", out.text(), t.stdout(), t.stdoutNot(), m);
            matches("stderr", err.text(), t.stderr(), t.stderrNot(), m);
            String shown = "stdout" + (out.cut() ? " (first " + (MAX_OUTPUT >> 10) + " KiB)" : "") + ":\n" + cut(out.text())
                    + "\nstderr" + (err.cut() ? " (first " + (MAX_OUTPUT >> 10) + " KiB)" : "") + ":\n" + cut(err.text());
            return TestResult.of("command", t.name(), location, m, shown, FileChecks.since(start));
        } catch (IOException e) {
            return TestResult.error("command", t.name(), location, "cannot write or read the command's streams: " + e.getMessage(),
                    FileChecks.since(start));
        } finally {
            try {
                deleteTree(io);
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    /** The container for one test: the hardened settings `bulwark run` would choose, then the test's own choices. */
    RunSpec spec(Spec.CommandTest t) throws HardenException {
        switch (t.isolation()) {
            case SANDBOX -> {
                if (setup.runsc() == null) throw new HardenException(target, "isolation: sandbox, but no runsc was set up (bulwark test --runsc PATH)");
            }
            case VM -> {
                if (setup.vm() == null) throw new HardenException(target, "isolation: vm, but no VM was set up (bulwark test --vm-kernel DIR)");
            }
            default -> {
            }
        }
        boolean vm = t.isolation() == Isolation.VM;
        Runner.Prepared on = vm ? unshifted : image;
        HardenedSettings s = Hardening.settings(target, config, new Hardening.Overrides(t.user(), null, null, null, null, null, List.of(), List.of()));
        long[] ids = user(s.user(), t.user() != null ? "user " + t.user() : "the image's USER " + s.user());
        List<String> argv = !t.run().isEmpty() ? t.run() : config.argv(t.args());
        if (argv.isEmpty()) throw new HardenException(target, "no command to run: the image has no ENTRYPOINT or CMD; give run: [...]");
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : config.env()) env.put(e.contains("=") ? e.substring(0, e.indexOf('=')) : e, e);
        env.putIfAbsent("PATH", PATH);
        env.putIfAbsent("HOSTNAME", "HOSTNAME=bulwark");
        for (Map.Entry<String, String> e : t.env().entrySet()) {
            if (e.getValue() == null) env.remove(e.getKey());
            else env.put(e.getKey(), e.getKey() + "=" + e.getValue());
        }
        String cwd = t.workdir() != null ? t.workdir() : config.workingDir().isEmpty() ? "/" : config.workingDir();
        return new RunSpec(on.rootfs(), argv, List.copyOf(env.values()), cwd, ids[0], ids[1], true, s.tmpfs(), List.of(), s.capAdd(),
                vm ? null : Runner.defaultSeccomp(), null, s.memoryBytes(), s.cpus(), s.pidsLimit(), true, vm ? null : on.idMap(), false);
    }

    /** "uid[:gid]" or names, looked up in the image's /etc/passwd and /etc/group as the final filesystem has them. */
    long[] user(String user, String where) throws HardenException {
        String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        String g = user.contains(":") ? user.substring(user.indexOf(':') + 1) : null;
        long uid = FileChecks.id(u, tree.ids("/etc/passwd"));
        if (uid < 0) throw new HardenException(where, "no user " + u + " in the image's /etc/passwd");
        long gid;
        if (g != null) {
            gid = FileChecks.id(g, tree.ids("/etc/group"));
            if (gid < 0) throw new HardenException(where, "no group " + g + " in the image's /etc/group");
        } else {
            gid = tree.primaryGid(u);
            if (gid < 0) gid = uid;
        }
        if (uid > 0xfffffffeL || gid > 0xfffffffeL) throw new HardenException(where, "not a user id");
        return new long[] {uid, gid};
    }

    private static void matches(String stream, String text, List<Pattern> want, List<Pattern> not, List<Mismatch> m) {
        for (Pattern p : want) {
            if (!p.matcher(text).find()) m.add(new Mismatch(stream, "a match of /" + p.pattern() + "/", text.isEmpty() ? "nothing" : FileChecks.excerpt(text)));
        }
        for (Pattern p : not) {
            Matcher x = p.matcher(text);
            if (x.find()) m.add(new Mismatch(stream + "Not", "no match of /" + p.pattern() + "/",
                    FileChecks.excerpt(x.group()) + " on line " + FileChecks.lineOf(text, x.start())));
        }
    }

    record Output(String text, boolean cut) {}

    /** A FIFO and the thread that drains it, keeping the first {@link #MAX_OUTPUT} bytes. */
    record Capture(Path fifo, Future<Output> reader, ExecutorService thread) {
        static Capture start(Path fifo) throws IOException, InterruptedException {
            Process mk = new ProcessBuilder("mkfifo", "-m", "0600", fifo.toString()).redirectErrorStream(true).start();
            String why = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (mk.waitFor() != 0) throw new IOException("mkfifo " + fifo + ": " + why);
            ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "bulwark-imagetest-output");
                th.setDaemon(true);
                return th;
            });
            Future<Output> f = ex.submit(() -> {
                try (InputStream in = Files.newInputStream(fifo)) {
                    byte[] kept = in.readNBytes(MAX_OUTPUT);
                    boolean more = false;
                    byte[] sink = new byte[8192];
                    for (int n; (n = in.read(sink)) >= 0; ) more |= n > 0;
                    return new Output(new String(kept, StandardCharsets.UTF_8), more);
                }
            });
            return new Capture(fifo, f, ex);
        }

        /**
         * The output, once every writer has closed the FIFO. When the container never started, nobody opened it for
         * writing and the reader still waits in open(): opening it read-write (which Linux allows without a reader)
         * and closing it again lets the reader see the end.
         */
        Output finish() throws IOException, InterruptedException {
            try (java.io.RandomAccessFile unblock = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
                unblock.getFD().valid();
            }
            try {
                return reader.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException("cannot read " + fifo.getFileName() + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                reader.cancel(true);
                throw new IOException(fifo.getFileName() + " still open 60 s after the container ended");
            } finally {
                thread.shutdownNow();
            }
        }
    }

    private static String cut(String s) {
        return s.length() > MAX_OUTPUT_SHOWN ? s.substring(0, MAX_OUTPUT_SHOWN) + "\n..." : s;
    }

    static String human(java.time.Duration d) {
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
