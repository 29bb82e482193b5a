package dev.bulwark.vulndb.fetch;

import java.util.List;

/** The outcome of every source, in the order the sources were given. */
public record FetchResult(List<FetchOutcome> outcomes) {
    public FetchResult {
        outcomes = List.copyOf(outcomes);
    }

    public List<FetchOutcome> updated() {
        return with(FetchOutcome.Status.UPDATED);
    }

    public List<FetchOutcome> unchanged() {
        return with(FetchOutcome.Status.UNCHANGED);
    }

    public List<FetchOutcome> failed() {
        return with(FetchOutcome.Status.FAILED);
    }

    /** Whether no source failed. */
    public boolean ok() {
        return failed().isEmpty();
    }

    private List<FetchOutcome> with(FetchOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).toList();
    }
}
