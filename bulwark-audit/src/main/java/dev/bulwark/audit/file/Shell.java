package dev.bulwark.audit.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small POSIX-shell reader for RUN scripts: enough to find the simple commands, their words (quotes removed,
 * offsets kept) and which commands are joined by pipes. It does not execute or expand anything: command
 * substitutions and variables stay in the words as written. Redirections and their targets are left out of the
 * words. Any text is accepted; unbalanced quotes simply run to the end.
 */
final class Shell {
    private static final Set<String> RESERVED = Set.of("if", "then", "else", "elif", "fi", "do", "done", "while",
            "until", "!", "{", "}", "case", "esac", "time");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

    private Shell() {
    }

    /** A word: its text with quotes and escapes removed, and where it was in the script. */
    record Word(String text, int start, int end) {
    }

    /** A simple command: its words, redirections left out. */
    record Command(List<Word> words) {
    }

    /** Commands joined by {@code |}. */
    record Pipeline(List<Command> commands) {
    }

    /**
     * A program invocation with what only wraps it peeled off: leading reserved words, variable assignments
     * ({@code DEBIAN_FRONTEND=noninteractive}) and wrappers ({@code sudo}, {@code env}, {@code nice},
     * {@code nohup}, {@code command}, {@code exec}, {@code timeout}).
     *
     * @param name    the program's base name, lower case ("apt-get" for "/usr/bin/apt-get")
     * @param program the word naming the program
     * @param args    the words after it
     * @param sudo    the sudo word when the program runs under sudo, else null
     */
    record Invocation(String name, Word program, List<Word> args, Word sudo) {
        /** The arguments' texts. */
        List<String> argTexts() {
            return args.stream().map(Word::text).toList();
        }
    }

    static List<Pipeline> parse(String s) {
        return new Reader(s).read();
    }

    /** Every command of every pipeline, as invocations; commands that are only assignments are left out. */
    static List<Invocation> invocations(List<Pipeline> pipelines) {
        List<Invocation> out = new ArrayList<>();
        for (Pipeline p : pipelines) {
            for (Command c : p.commands()) {
                Invocation inv = invocation(c);
                if (inv != null) out.add(inv);
            }
        }
        return out;
    }

    static Invocation invocation(Command c) {
        List<Word> w = c.words();
        int i = 0;
        Word sudo = null;
        while (i < w.size()) {
            String t = w.get(i).text();
            if (RESERVED.contains(t) || ASSIGNMENT.matcher(t).matches()) {
                i++;
                continue;
            }
            String base = base(t);
            switch (base) {
                case "sudo", "doas" -> {
                    sudo = w.get(i);
                    i++;
                    while (i < w.size() && w.get(i).text().startsWith("-")) {
                        String o = w.get(i).text();
                        i++;
                        if (o.matches("-[ugChpDrtUTR]") && i < w.size()) i++;
                    }
                }
                case "env" -> {
                    i++;
                    while (i < w.size() && (w.get(i).text().startsWith("-") || w.get(i).text().contains("="))) {
                        String o = w.get(i).text();
                        i++;
                        if (o.matches("-[uCS]|--unset|--chdir") && i < w.size()) i++;
                    }
                }
                case "nice" -> {
                    i++;
                    if (i < w.size() && w.get(i).text().equals("-n")) i += 2;
                    else if (i < w.size() && w.get(i).text().matches("-n?-?\\d+|--adjustment=.*")) i++;
                }
                case "nohup", "command", "exec", "stdbuf" -> {
                    i++;
                    while (i < w.size() && w.get(i).text().startsWith("-")) i++;
                }
                case "timeout" -> {
                    i++;
                    while (i < w.size() && w.get(i).text().startsWith("-")) {
                        String o = w.get(i).text();
                        i++;
                        if (o.matches("-[sk]") && i < w.size()) i++;
                    }
                    if (i < w.size()) i++;
                }
                default -> {
                    return new Invocation(base, w.get(i), w.subList(i + 1, w.size()), sudo);
                }
            }
        }
        return null;
    }

    static String base(String t) {
        int slash = t.lastIndexOf('/');
        return (slash >= 0 ? t.substring(slash + 1) : t).toLowerCase(Locale.ROOT);
    }

    private static final class Reader {
        private final String s;
        private int i;
        private final List<Pipeline> pipelines = new ArrayList<>();
        private List<Command> commands = new ArrayList<>();
        private List<Word> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private int wordStart = -1;
        private boolean skipNext;

        Reader(String s) {
            this.s = s;
        }

        List<Pipeline> read() {
            while (i < s.length()) {
                char c = s.charAt(i);
                switch (c) {
                    case ' ', '\t', '\r' -> {
                        endWord();
                        i++;
                    }
                    case '\n', ';' -> {
                        endPipeline();
                        i++;
                    }
                    case '(', ')' -> {
                        if (c == '(' && word.length() > 0 && (last() == '$' || last() == '<' || last() == '>')) {
                            appendNested('(', ')');
                        } else {
                            endPipeline();
                            i++;
                        }
                    }
                    case '&' -> {
                        if (at(i + 1) == '>') {
                            redirect();
                        } else {
                            endPipeline();
                            i += at(i + 1) == '&' ? 2 : 1;
                        }
                    }
                    case '|' -> {
                        if (at(i + 1) == '|') {
                            endPipeline();
                            i += 2;
                        } else {
                            endCommand();
                            i += at(i + 1) == '&' ? 2 : 1;
                        }
                    }
                    case '<', '>' -> {
                        if (at(i + 1) == '(') {
                            start();
                            word.append(c);
                            i++;
                            appendNested('(', ')');
                        } else {
                            redirect();
                        }
                    }
                    case '#' -> {
                        if (word.length() == 0 && wordStart < 0) {
                            while (i < s.length() && s.charAt(i) != '\n') i++;
                        } else {
                            append(c);
                        }
                    }
                    case '\'' -> {
                        start();
                        int j = s.indexOf('\'', i + 1);
                        if (j < 0) j = s.length();
                        word.append(s, i + 1, j);
                        i = Math.min(s.length(), j + 1);
                    }
                    case '"' -> doubleQuoted();
                    case '\\' -> {
                        if (at(i + 1) == '\n') {
                            i += 2;
                        } else {
                            start();
                            if (i + 1 < s.length()) word.append(s.charAt(i + 1));
                            i += 2;
                        }
                    }
                    case '`' -> {
                        start();
                        int j = s.indexOf('`', i + 1);
                        if (j < 0) j = s.length() - 1;
                        word.append(s, i, j + 1);
                        i = j + 1;
                    }
                    case '$' -> {
                        start();
                        word.append('$');
                        i++;
                        if (at(i) == '(') appendNested('(', ')');
                        else if (at(i) == '{') appendNested('{', '}');
                    }
                    default -> append(c);
                }
            }
            endPipeline();
            return pipelines;
        }

        private char at(int k) {
            return k < s.length() ? s.charAt(k) : '\0';
        }

        private char last() {
            return word.charAt(word.length() - 1);
        }

        private void start() {
            if (wordStart < 0) wordStart = i;
        }

        private void append(char c) {
            start();
            word.append(c);
            i++;
        }

        /** Appends a bracketed run such as {@code (curl x)} to the current word, quotes inside respected. */
        private void appendNested(char open, char close) {
            start();
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                word.append(c);
                i++;
                if (c == '\'' || c == '"') {
                    int j = s.indexOf(c, i);
                    if (j < 0) j = s.length() - 1;
                    word.append(s, i, j + 1);
                    i = j + 1;
                } else if (c == open) {
                    depth++;
                } else if (c == close && --depth == 0) {
                    return;
                }
            }
        }

        private void doubleQuoted() {
            start();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    return;
                }
                if (c == '\\' && i + 1 < s.length()) {
                    char d = s.charAt(i + 1);
                    if (d == '\n') {
                        i += 2;
                        continue;
                    }
                    if (d == '"' || d == '\\' || d == '$' || d == '`') {
                        word.append(d);
                        i += 2;
                        continue;
                    }
                }
                if (c == '$' && at(i + 1) == '(') {
                    word.append('$');
                    i++;
                    appendNested('(', ')');
                    continue;
                }
                word.append(c);
                i++;
            }
        }

        /** A redirection operator ({@code >}, {@code >>}, {@code 2>&1}, {@code <<EOF}, {@code &>}): left out with its target. */
        private void redirect() {
            if (word.length() > 0 && word.chars().allMatch(Character::isDigit)) {
                word.setLength(0);
                wordStart = -1;
            } else {
                endWord();
            }
            while (i < s.length() && "<>&|-".indexOf(s.charAt(i)) >= 0) i++;
            skipNext = true;
        }

        private void endWord() {
            if (wordStart >= 0) {
                if (skipNext) {
                    skipNext = false;
                } else {
                    words.add(new Word(word.toString(), wordStart, i));
                }
            }
            word.setLength(0);
            wordStart = -1;
        }

        private void endCommand() {
            endWord();
            skipNext = false;
            if (!words.isEmpty()) commands.add(new Command(List.copyOf(words)));
            words = new ArrayList<>();
        }

        private void endPipeline() {
            endCommand();
            if (!commands.isEmpty()) pipelines.add(new Pipeline(List.copyOf(commands)));
            commands = new ArrayList<>();
        }
    }
}
