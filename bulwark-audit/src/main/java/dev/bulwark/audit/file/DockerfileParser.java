package dev.bulwark.audit.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Dockerfiles as BuildKit's dockerfile frontend does: parser directives ({@code syntax}, {@code escape},
 * {@code check}) at the top, comments, line continuations with the escape character (comment and empty lines
 * inside a continuation skipped), here-documents ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}) for RUN, COPY and
 * ADD, the JSON (exec) and shell forms, and leading {@code --flags}. Every instruction keeps its physical lines.
 * Malformed input is refused with one {@link AuditException} line naming the file and line.
 */
final class DockerfileParser {
    static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
            "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
    private static final Set<String> WITH_FLAGS = Set.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");
    private static final Set<String> WITH_JSON = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME");
    private static final Set<String> WITH_HEREDOC = Set.of("RUN", "COPY", "ADD");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Pattern DIRECTIVE = Pattern.compile("[ \\t]*#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.*?)[ \\t]*");
    private static final Pattern HEREDOC = Pattern.compile("(\\d*)<<(-?)([^<]+)");
    private static final Pattern HEALTHCHECK_CMD = Pattern.compile("(?i)CMD\\s+");

    private DockerfileParser() {
    }

    static Dockerfile parse(String name, String text) throws AuditException {
        List<String> lines = splitLines(text);
        int n = lines.size();
        char escape = '\\';
        Map<String, String> directives = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Matcher m = DIRECTIVE.matcher(lines.get(i));
            if (!m.matches()) break;
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(key)) break;
            if (directives.containsKey(key)) {
                throw AuditException.at(name, i + 1, "only one \"" + key + "\" parser directive may be used");
            }
            String value = m.group(2);
            if (key.equals("escape")) {
                if (!value.equals("\\") && !value.equals("`")) {
                    throw AuditException.at(name, i + 1, "invalid escape parser directive \"" + value
                            + "\": it must be \\ or `");
                }
                escape = value.charAt(0);
            }
            directives.put(key, value);
        }

        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        int i = 0;
        while (i < n) {
            String raw = lines.get(i);
            String lead = raw.stripLeading();
            if (lead.isEmpty() || lead.charAt(0) == '#') {
                i++;
                continue;
            }
            int startLine = i + 1;
            StringBuilder sb = new StringBuilder();
            LineMap.Builder mb = new LineMap.Builder();
            String seg = lead;
            int segLine = startLine;
            int segCol = raw.length() - lead.length() + 1;
            int last = i;
            while (true) {
                int cut = continuation(seg, escape);
                mb.add(sb.length(), segLine, segCol);
                sb.append(cut >= 0 ? seg.substring(0, cut) : seg);
                if (cut < 0) break;
                int j = last + 1;
                while (j < n && (lines.get(j).isBlank() || lines.get(j).stripLeading().startsWith("#"))) j++;
                if (j >= n) break;
                last = j;
                seg = lines.get(j);
                segLine = j + 1;
                segCol = 1;
            }
            i = last + 1;
            String logical = sb.toString().stripTrailing();
            if (logical.isBlank()) continue;
            int lead2 = logical.length() - logical.stripLeading().length();
            LineMap map = mb.build();
            if (lead2 > 0) {
                map = map.slice(lead2);
                logical = logical.substring(lead2);
                startLine = map.firstLine();
            }

            int k = 0;
            while (k < logical.length() && !Character.isWhitespace(logical.charAt(k))) k++;
            String written = logical.substring(0, k);
            String keyword = written.toUpperCase(Locale.ROOT);
            if (!KEYWORDS.contains(keyword)) {
                throw AuditException.at(name, startLine, "unknown instruction: " + clip(written));
            }
            while (k < logical.length() && Character.isWhitespace(logical.charAt(k))) k++;
            int argsStart = k;

            List<Instruction.Flag> flags = new ArrayList<>();
            int restStart = argsStart;
            if (WITH_FLAGS.contains(keyword)) restStart = flags(logical, argsStart, flags);

            List<String> json = null;
            String rest = logical.substring(restStart);
            if (keyword.equals("HEALTHCHECK")) {
                Matcher cmd = HEALTHCHECK_CMD.matcher(rest);
                if (cmd.lookingAt()) json = jsonArray(rest.substring(cmd.end()));
            } else if (WITH_JSON.contains(keyword)) {
                json = jsonArray(rest);
            }

            List<Instruction.Heredoc> heredocs = new ArrayList<>();
            if (WITH_HEREDOC.contains(keyword) && json == null && rest.contains("<<")) {
                for (String w : words(rest)) {
                    Matcher h = HEREDOC.matcher(w);
                    if (!h.matches()) continue;
                    String delim = h.group(3);
                    boolean quoted = delim.indexOf('"') >= 0 || delim.indexOf('\'') >= 0;
                    String term = delim.replace("\"", "").replace("'", "");
                    if (term.isEmpty()) continue;
                    boolean chomp = h.group(2).equals("-");
                    StringBuilder body = new StringBuilder();
                    int first = i + 1;
                    boolean terminated = false;
                    while (i < n) {
                        String l = lines.get(i++);
                        String candidate = chomp ? l.replaceFirst("^\\t+", "") : l;
                        if (candidate.equals(term)) {
                            terminated = true;
                            break;
                        }
                        body.append(l).append('\n');
                    }
                    if (!terminated) {
                        throw AuditException.at(name, startLine, "unterminated heredoc <<" + clip(delim)
                                + ": no line \"" + clip(term) + "\" ends it");
                    }
                    heredocs.add(new Instruction.Heredoc(term, body.toString(), first, quoted, chomp));
                    last = i - 1;
                }
            }

            if (keyword.equals("FROM")) {
                stage++;
                List<String> w = words(logical.substring(restStart));
                if (!(w.size() == 1 || (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")))) {
                    throw AuditException.at(name, startLine,
                            "FROM needs an image and optionally AS and a stage name: FROM image [AS name]");
                }
            } else if (stage < 0 && !keyword.equals("ARG")) {
                throw AuditException.at(name, startLine, keyword + " before the first FROM (only ARG may come first)");
            }
            out.add(new Instruction(keyword, logical, map, argsStart, restStart, flags, json, heredocs, startLine,
                    last + 1, stage));
        }
        if (out.isEmpty()) throw AuditException.at(name, 0, "has no instructions: it is not a Dockerfile");
        if (stage < 0) throw AuditException.at(name, 0, "has no FROM instruction");
        return new Dockerfile(name, lines, escape, directives, out);
    }

    /** Physical lines: split at \n, a \r before it dropped (Go's bufio.ScanLines). */
    static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                out.add(text.substring(start, end));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            int end = text.endsWith("\r") ? text.length() - 1 : text.length();
            out.add(text.substring(start, end));
        }
        return out;
    }

    /** Where a trailing escape character (followed only by blanks) starts, or -1 when the line does not continue. */
    private static int continuation(String s, char escape) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return e > 0 && s.charAt(e - 1) == escape ? e - 1 : -1;
    }

    /** Reads leading {@code --name[=value]} words; returns where the rest starts. */
    private static int flags(String s, int from, List<Instruction.Flag> out) {
        int p = from;
        while (true) {
            int q = p;
            while (q < s.length() && Character.isWhitespace(s.charAt(q))) q++;
            if (!s.startsWith("--", q)) return q;
            int end = wordEnd(s, q);
            String word = s.substring(q, end);
            if (word.equals("--")) return skipBlanks(s, end);
            int eq = word.indexOf('=');
            String flagName = eq < 0 ? word.substring(2) : word.substring(2, eq);
            String value = eq < 0 ? null : unquote(word.substring(eq + 1));
            out.add(new Instruction.Flag(flagName.toLowerCase(Locale.ROOT), value, q, end));
            p = end;
        }
    }

    private static int skipBlanks(String s, int p) {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        return p;
    }

    /** The end of the blank-separated word starting at {@code p}; quotes group blanks. */
    private static int wordEnd(String s, int p) {
        char quote = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && p + 1 < s.length()) p++;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                break;
            } else if (c == '\\' && p + 1 < s.length()) {
                p++;
            }
            p++;
        }
        return Math.min(p, s.length());
    }

    /** Blank-separated words, quotes kept as written. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int p = skipBlanks(s, 0);
        while (p < s.length()) {
            int end = wordEnd(s, p);
            out.add(s.substring(p, end));
            p = skipBlanks(s, end);
        }
        return out;
    }

    /** Start offsets of {@link #words(String)}. */
    static List<int[]> wordSpans(String s) {
        List<int[]> out = new ArrayList<>();
        int p = skipBlanks(s, 0);
        while (p < s.length()) {
            int end = wordEnd(s, p);
            out.add(new int[]{p, end});
            p = skipBlanks(s, end);
        }
        return out;
    }

    static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** A JSON array of strings, or null when {@code s} is not exactly one (then the instruction is in shell form). */
    static List<String> jsonArray(String s) {
        int i = skipBlanks(s, 0);
        if (i >= s.length() || s.charAt(i) != '[') return null;
        i = skipBlanks(s, i + 1);
        List<String> out = new ArrayList<>();
        if (i < s.length() && s.charAt(i) == ']') {
            return skipBlanks(s, i + 1) == s.length() ? out : null;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length() || s.charAt(i) != '"') return null;
            i++;
            sb.setLength(0);
            while (true) {
                if (i >= s.length()) return null;
                char c = s.charAt(i++);
                if (c == '"') break;
                if (c < 0x20) return null;
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) return null;
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) return null;
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = Character.digit(s.charAt(i + k), 16);
                            if (d < 0) return null;
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                        i += 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            out.add(sb.toString());
            i = skipBlanks(s, i);
            if (i >= s.length()) return null;
            char c = s.charAt(i);
            if (c == ']') return skipBlanks(s, i + 1) == s.length() ? out : null;
            if (c != ',') return null;
            i = skipBlanks(s, i + 1);
        }
    }

    static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
