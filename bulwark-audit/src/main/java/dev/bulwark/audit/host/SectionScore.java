package dev.bulwark.audit.host;

/**
 * How one benchmark section fared, counted per check (a check with several subjects counts once, by its worst
 * verdict: ERROR, FAIL, WARN, MANUAL, INFO, PASS) — the way docker-bench-security scores.
 *
 * @param section the section number (1-7)
 * @param name    "Host Configuration", ...
 * @param pass    checks that passed on every subject
 * @param fail    checks with at least one FAIL
 * @param warn    checks whose worst verdict is WARN (an automated check found something for a human to confirm)
 * @param manual  checks whose worst verdict is MANUAL (manual checks: evidence gathered, a human decides)
 * @param info    checks that do not apply here, or only report a fact
 * @param error   checks that could not run
 * @param score   pass - fail (docker-bench-security's score: +1 per PASS, -1 per failure, which it calls WARN)
 */
public record SectionScore(int section, String name, int pass, int fail, int warn, int manual, int info, int error,
                           int score) {
    /** Percentage of scored checks (PASS or FAIL) that passed; 100 when none was scored. */
    public int percent() {
        int scored = pass + fail;
        return scored == 0 ? 100 : Math.round(100f * pass / scored);
    }
}
