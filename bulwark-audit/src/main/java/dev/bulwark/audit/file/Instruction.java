package dev.bulwark.audit.file;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Dockerfile instruction after line continuations are joined and comments inside them dropped.
 *
 * @param keyword   upper case ("RUN")
 * @param logical   the joined line, keyword included, trimmed: continuation characters removed, the pieces
 *                  concatenated as BuildKit does (no separator added)
 * @param map       from offsets in {@code logical} to physical lines and columns
 * @param argsStart where the arguments start in {@code logical}
 * @param restStart where the arguments after the flags ({@code --mount=...}, {@code --chown=...}) start
 * @param flags     the leading {@code --name[=value]} flags of FROM, RUN, COPY, ADD and HEALTHCHECK
 * @param json      the arguments of the exec (JSON array) form, or null for the shell form
 * @param heredocs  here-documents of RUN, COPY and ADD, in order
 * @param line      the first physical line (1-based)
 * @param endLine   the last physical line, heredoc terminators included
 * @param stage     the build stage: 0 for the first FROM and what follows it, -1 for ARGs before any FROM
 */
record Instruction(String keyword, String logical, LineMap map, int argsStart, int restStart, List<Flag> flags,
                   List<String> json, List<Heredoc> heredocs, int line, int endLine, int stage) {

    private static final Pattern SHELLS = Pattern.compile("(?:.*/)?(?:sh|bash|ash|dash|zsh|ksh|mksh)");

    Instruction {
        flags = List.copyOf(flags);
        json = json == null ? null : List.copyOf(json);
        heredocs = List.copyOf(heredocs);
    }

    /** A flag such as {@code --chown=app:app}; {@code value} is null for a bare {@code --link}. */
    record Flag(String name, String value, int start, int end) {
    }

    /**
     * A here-document.
     *
     * @param name      the delimiter
     * @param body      the lines between the instruction and the delimiter, each ending in a newline
     * @param firstLine the physical line of the body's first line
     * @param quoted    the delimiter was quoted: no variable expansion in the body
     * @param chomp     {@code <<-}: leading tabs are stripped
     */
    record Heredoc(String name, String body, int firstLine, boolean quoted, boolean chomp) {
        LineMap lineMap() {
            LineMap.Builder b = new LineMap.Builder();
            int line = firstLine;
            b.add(0, line, 1);
            for (int i = 0; i < body.length(); i++) {
                if (body.charAt(i) == '\n' && i + 1 < body.length()) b.add(i + 1, ++line, 1);
            }
            return b.build();
        }
    }

    /** A shell script and where each of its characters came from. */
    record Script(String text, LineMap map) {
    }

    String args() {
        return logical.substring(argsStart);
    }

    /** The arguments after the flags. */
    String rest() {
        return logical.substring(restStart);
    }

    int lineAt(int offset) {
        return map.line(offset);
    }

    Optional<Flag> flag(String name) {
        return flags.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    boolean isExecForm() {
        return json != null;
    }

    /**
     * The shell script a RUN executes: its command (or exec-form arguments joined by spaces) followed by each
     * heredoc that the shell reads as a script (a heredoc given to a shell, or alone with no or a shell shebang).
     */
    Script script() {
        if (json != null) {
            if (json.size() >= 3 && SHELLS.matcher(json.get(0)).matches()) {
                for (int k = 1; k + 1 < json.size(); k++) {
                    if (json.get(k).matches("-[a-z]*c[a-z]*")) return new Script(json.get(k + 1), map.slice(restStart));
                }
            }
            String joined = String.join(" ", json);
            return new Script(joined, map.slice(restStart));
        }
        StringBuilder sb = new StringBuilder(rest());
        LineMap.Builder b = new LineMap.Builder().append(map.slice(restStart), 0);
        if (!heredocs.isEmpty()) {
            String command = stripHeredocWords(rest()).strip();
            String first = command.isEmpty() ? "" : command.split("\\s+")[0];
            for (Heredoc h : heredocs) {
                boolean shell = command.isEmpty() ? shebangIsShell(h.body()) : SHELLS.matcher(first).matches();
                if (!shell) continue;
                sb.append('\n');
                b.append(h.lineMap(), sb.length());
                sb.append(h.body());
            }
        }
        return new Script(sb.toString(), b.build());
    }

    private static String stripHeredocWords(String s) {
        return s.replaceAll("(?:^|\\s)\\d*<<-?\\S+", " ");
    }

    private static boolean shebangIsShell(String body) {
        if (!body.startsWith("#!")) return true;
        String first = body.lines().findFirst().orElse("").substring(2).strip().toLowerCase(Locale.ROOT);
        String[] parts = first.split("\\s+");
        String prog = parts[0];
        if (prog.endsWith("/env") && parts.length > 1) prog = parts[1];
        return SHELLS.matcher(prog).matches();
    }
}
