package dev.bulwark.harden.imagetest;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one test.
 *
 * @param kind       command, file, metadata, licence or gate
 * @param name       the test's name (the spec's, or one made from what it checks)
 * @param location   "spec.yaml:12"
 * @param status     PASS, FAIL (the image broke a promise) or ERROR (the test could not be carried out)
 * @param mismatches each broken promise: what, expected, found (empty unless FAIL)
 * @param message    why an ERROR happened; empty otherwise
 * @param output     the command's standard output and error, cut short, for failed command tests; empty otherwise
 * @param duration   how long it took
 */
public record TestResult(String kind, String name, String location, Status status, List<Mismatch> mismatches, String message,
                         String output, Duration duration) {
    public enum Status { PASS, FAIL, ERROR }

    /** One broken promise. */
    public record Mismatch(String what, String expected, String found) {
        @Override
        public String toString() {
            return what + ": expected " + expected + ", found " + found;
        }
    }

    public TestResult {
        mismatches = List.copyOf(mismatches);
        message = message == null ? "" : message;
        output = output == null ? "" : output;
    }

    static TestResult of(String kind, String name, String location, List<Mismatch> mismatches, String output, Duration d) {
        return new TestResult(kind, name, location, mismatches.isEmpty() ? Status.PASS : Status.FAIL, mismatches, "",
                mismatches.isEmpty() ? "" : output, d);
    }

    static TestResult error(String kind, String name, String location, String message, Duration d) {
        return new TestResult(kind, name, location, Status.ERROR, List.of(), message, "", d);
    }

    /** One line saying what went wrong (empty for a pass). */
    public String summary() {
        return switch (status) {
            case PASS -> "";
            case ERROR -> message;
            case FAIL -> String.join("; ", mismatches.stream().map(Mismatch::toString).toList());
        };
    }
}
