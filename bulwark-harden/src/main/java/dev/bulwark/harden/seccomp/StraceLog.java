package dev.bulwark.harden.seccomp;

import dev.bulwark.harden.HardenException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syscall names in an strace log ({@code strace -f -qq -o FILE}, with or without PIDs, {@code -t}/{@code -tt}/
 * {@code -ttt} times). A call interrupted by another thread appears twice ({@code name(... <unfinished ...>} and
 * {@code <... name resumed>}); both count once. Signal and exit lines carry no call. Anything else is not strace
 * output and is refused with its line: a profile learned from a wrong file would be wrong silently.
 */
final class StraceLog {
    /** Longest line kept in memory; strace abbreviates arguments, so real lines are far shorter. */
    static final int MAX_LINE = 1 << 16;
    /** Every architecture together has fewer than 500 names; a log with more distinct ones is not strace's. */
    static final int MAX_NAMES = 4096;
    private static final Pattern PREFIX = Pattern.compile("^(?:\\[pid\\s+)?(?:\\d+\\]?\\s+)?(?:\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?\\s+|\\d+\\.\\d+\\s+)?");
    private static final Pattern CALL = Pattern.compile("^([a-z_][a-z0-9_]*)\\(");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z_][a-z0-9_]*) resumed>");
    private static final Pattern NOISE = Pattern.compile("^(?:\\+\\+\\+ .*|--- .*|\\[ Process PID=\\d+ runs in .*|strace: .*|\\?\\?\\?.*)$");

    private StraceLog() {}

    static Set<String> syscalls(Reader in, String source) throws IOException, HardenException {
        Set<String> names = new TreeSet<>();
        BufferedReader r = new BufferedReader(in, 8192);
        int lineNo = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            line.setLength(0);
            int c;
            boolean eof = true;
            while ((c = r.read()) >= 0) {
                eof = false;
                if (c == '\n') break;
                if (line.length() < MAX_LINE) line.append((char) c);
            }
            if (eof && line.isEmpty()) break;
            lineNo++;
            String text = line.toString();
            if (text.isBlank()) continue;
            String rest = text.substring(prefixEnd(text));
            Matcher m = CALL.matcher(rest);
            if (!m.find()) m = RESUMED.matcher(rest);
            if (m.find(0)) {
                names.add(m.group(1));
                if (names.size() > MAX_NAMES) {
                    throw new HardenException(source + ":" + lineNo, "more than " + MAX_NAMES + " distinct syscall names: not an strace log");
                }
                continue;
            }
            if (NOISE.matcher(rest).matches()) continue;
            throw new HardenException(source + ":" + lineNo, "not an strace line: " + clip(text));
        }
        return names;
    }

    private static int prefixEnd(String text) {
        Matcher m = PREFIX.matcher(text);
        return m.find() ? m.end() : 0;
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
