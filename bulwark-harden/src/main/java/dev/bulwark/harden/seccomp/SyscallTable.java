package dev.bulwark.harden.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Syscall names and numbers of every architecture, as libseccomp knows them. The table is the resource
 * {@code syscalls.tsv}, written by {@code scripts/gen-syscalls.sh} from {@code scmp_sys_resolver} and checked
 * against a fresh run by SyscallTableIT, so it cannot drift from the library runc uses or be edited by hand.
 */
final class SyscallTable {
    static final String RESOURCE = "syscalls.tsv";
    private static volatile SyscallTable instance;

    private final Map<Arch, Map<String, Long>> byArch;
    private final Set<String> allNames;
    private final String header;

    private SyscallTable(Map<Arch, Map<String, Long>> byArch, Set<String> allNames, String header) {
        this.byArch = byArch;
        this.allNames = allNames;
        this.header = header;
    }

    static SyscallTable get() {
        SyscallTable t = instance;
        if (t == null) {
            try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
                t = parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instance = t;
        }
        return t;
    }

    /**
     * The sorted names of one architecture, read from the resource up to the end of that architecture's group
     * without building the whole table: `bulwark run` needs only the host's names for its default profile, and
     * x86_64's come first (368 of 7,400 lines). Same result as {@code get().names(arch)}.
     */
    static Set<String> namesOf(Arch arch) {
        Set<String> cached = ONE_ARCH.get(arch);
        if (cached != null) return cached;
        SyscallTable full = instance;
        Set<String> out = full != null ? full.names(arch) : readNames(arch);
        ONE_ARCH.put(arch, out);
        return out;
    }

    private static final Map<Arch, Set<String>> ONE_ARCH = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@link #namesOf} without its cache (package-private for the test that holds it to the whole table). */
    static Set<String> readNames(Arch arch) {
        TreeSet<String> names = new TreeSet<>();
        try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String prefix = arch.token() + "\t";
            boolean inGroup = false;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    names.add(line.substring(secondTab(line) + 1));
                    inGroup = true;
                } else if (inGroup && !line.startsWith("#") && !line.isBlank()) {
                    break; // groups are contiguous: SyscallTableTest checks that the resource is written so
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableSet(names);
    }

    static SyscallTable parse(InputStream in) throws IOException {
        Map<Arch, Map<String, Long>> byArch = new EnumMap<>(Arch.class);
        Set<String> all = new HashSet<>(1024);
        String lastToken = null;
        Arch lastArch = null;
        Map<String, Long> names = null;
        String header = "";
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("#")) {
                if (header.isEmpty()) header = line.substring(1).strip();
                continue;
            }
            if (line.isBlank()) continue;
            // lines come grouped by architecture: the name is parsed once a group, and fields are cut without a regex
            int t2 = secondTab(line);
            int t1 = line.indexOf('\t');
            String token = line.substring(0, t1);
            if (!token.equals(lastToken)) {
                lastArch = Arch.parse(token).orElseThrow(() -> new IllegalStateException("syscall table: unknown arch " + token));
                lastToken = token;
                names = byArch.computeIfAbsent(lastArch, a -> new HashMap<>(1024));
            }
            String name = line.substring(t2 + 1);
            names.put(name, Long.parseLong(line, t1 + 1, t2, 10));
            all.add(name);
        }
        byArch.replaceAll((a, m) -> Collections.unmodifiableMap(m));
        return new SyscallTable(Collections.unmodifiableMap(byArch), Collections.unmodifiableSet(all), header);
    }

    /** Where the NAME field of an ARCH<TAB>NUMBER<TAB>NAME line starts, less one. */
    private static int secondTab(String line) {
        int t1 = line.indexOf('\t');
        int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
        if (t2 < 0) throw new IllegalStateException("syscall table: not ARCH<TAB>NUMBER<TAB>NAME: " + line);
        return t2;
    }

    /** Whether any architecture has a syscall of this name. */
    boolean known(String name) {
        return allNames.contains(name);
    }

    Optional<Long> number(Arch arch, String name) {
        return Optional.ofNullable(byArch.getOrDefault(arch, Map.of()).get(name));
    }

    /** Every name of one architecture, sorted. */
    Set<String> names(Arch arch) {
        return Collections.unmodifiableSet(new TreeSet<>(byArch.getOrDefault(arch, Map.of()).keySet()));
    }

    Set<String> allNames() {
        return allNames;
    }

    /** The generator's first comment line (which libseccomp the table came from). */
    String source() {
        return header;
    }
}
