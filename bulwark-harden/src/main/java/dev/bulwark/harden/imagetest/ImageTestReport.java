package dev.bulwark.harden.imagetest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every test's outcome for one image and one spec.
 *
 * @param image    the target as given
 * @param imageId  the image's config digest, or empty
 * @param spec     the spec file
 * @param results  in spec order: commands, files, metadata, licences, gates
 * @param started  when the run began
 * @param duration how long it took
 */
public record ImageTestReport(String image, String imageId, String spec, List<TestResult> results, Instant started, Duration duration) {
    public ImageTestReport {
        results = List.copyOf(results);
        imageId = imageId == null ? "" : imageId;
    }

    public long count(TestResult.Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /** True when every test passed. */
    public boolean passed() {
        return results.stream().allMatch(r -> r.status() == TestResult.Status.PASS);
    }
}
