package dev.bulwark.audit.host;

/**
 * How one benchmark section fared, counted per check (a check with several subjects counts once, by its worst
 * verdict: ERROR, WARN, INFO, NOTE, PASS) — the way docker-bench-security scores.
 *
 * @param section the section number (1-7)
 * @param name    "Host Configuration", ...
 * @param pass    checks that passed on every subject
 * @param warn    checks with at least one WARN
 * @param info    checks that gave INFO (manual review) at worst
 * @param note    checks that do not apply here
 * @param error   checks that could not run
 * @param score   pass - warn (docker-bench-security's score: +1 per PASS, -1 per WARN)
 */
public record SectionScore(int section, String name, int pass, int warn, int info, int note, int error, int score) {
    /** Percentage of scored checks (PASS or WARN) that passed; 100 when none was scored. */
    public int percent() {
        int scored = pass + warn;
        return scored == 0 ? 100 : Math.round(100f * pass / scored);
    }
}
