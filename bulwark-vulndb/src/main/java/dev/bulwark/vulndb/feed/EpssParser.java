package dev.bulwark.vulndb.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FIRST's daily EPSS CSV ({@code epss_scores-YYYY-MM-DD.csv}, usually gzipped): an optional comment line
 * {@code #model_version:v2023.03.01,score_date:2023-04-07T00:00:00+0000}, the header {@code cve,epss,percentile},
 * then one row per CVE with two numbers between 0 and 1. Bad rows are reported by line number and skipped; lines
 * are read with a length cap, so one endless line cannot fill memory.
 */
public final class EpssParser implements FeedParser {
    private static final Pattern CVE_ID = Pattern.compile("CVE-\\d{4}-\\d{4,}");
    private static final Pattern MODEL = Pattern.compile("model_version:([^,\\s]+)");
    private static final Pattern DATE = Pattern.compile("score_date:([^,\\s]+)");
    private static final int MAX_LINE = 4096;

    @Override
    public void parse(InputStream in, String name, FeedSink sink) {
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String model = null;
        Instant date = null;
        boolean header = false;
        StringBuilder line = new StringBuilder();
        try {
            for (long n = 1; readLine(reader, line); n++) {
                String l = (n == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line.toString())
                        .strip();
                if (line.length() > MAX_LINE) {
                    sink.problem(FeedSink.describe(name, "line " + n, "longer than " + MAX_LINE + " characters"));
                } else if (l.isEmpty()) {
                    continue;
                } else if (l.startsWith("#")) {
                    Matcher m = MODEL.matcher(l), d = DATE.matcher(l);
                    if (m.find()) model = m.group(1);
                    if (d.find()) date = scoreDate(d.group(1), name, sink);
                } else if (!header) {
                    header = true;
                    if (!l.replace(" ", "").equalsIgnoreCase("cve,epss,percentile")) {
                        sink.problem(FeedSink.describe(name, "line " + n, "header is not 'cve,epss,percentile'"));
                        return;
                    }
                } else {
                    row(l, n, model, date, name, sink);
                }
            }
        } catch (IOException e) {
            sink.problem(FeedSink.describe(name, null, "unreadable: " + OsvParser.oneLine(e)));
        }
        if (!header) sink.problem(FeedSink.describe(name, null, "no 'cve,epss,percentile' header"));
    }

    private static void row(String l, long n, String model, Instant date, String file, FeedSink sink) {
        String[] cells = l.split(",", -1);
        if (cells.length != 3 || !CVE_ID.matcher(cells[0].strip()).matches()) {
            sink.problem(FeedSink.describe(file, "line " + n, "not 'CVE-id,epss,percentile'; skipped"));
            return;
        }
        try {
            double epss = Double.parseDouble(cells[1].strip()), percentile = Double.parseDouble(cells[2].strip());
            if (!(epss >= 0 && epss <= 1 && percentile >= 0 && percentile <= 1)) {
                throw new NumberFormatException("out of [0, 1]");
            }
            sink.epss(new EpssScore(cells[0].strip(), epss, percentile, model, date));
        } catch (NumberFormatException e) {
            sink.problem(FeedSink.describe(file, cells[0].strip(), "line " + n + ": scores are not numbers in [0, 1]"));
        }
    }

    private static Instant scoreDate(String text, String file, FeedSink sink) {
        try {
            return Json.instant(text);
        } catch (DateTimeParseException e) {
            sink.problem(FeedSink.describe(file, null, "unreadable score_date '" + text + "'"));
            return null;
        }
    }

    /** Reads up to the next newline into {@code line}, keeping at most MAX_LINE + 1 characters; false at the end. */
    private static boolean readLine(Reader r, StringBuilder line) throws IOException {
        line.setLength(0);
        int c = r.read();
        if (c < 0) return false;
        for (; c >= 0 && c != '\n'; c = r.read()) {
            if (line.length() <= MAX_LINE) line.append((char) c);
        }
        return true;
    }
}
