package dev.bulwark.vulndb.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.model.Cvss;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CvssV3Test {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            // examples from the CVSS v3.x specification documents and NVD's scoring of well-known CVEs
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8",  // CVE-2014-6271, Shellshock
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N, 7.5",  // CVE-2014-0160, Heartbleed
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0", // CVE-2021-44228, Log4Shell
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1",  // CVE-2013-1937, phpMyAdmin XSS
            "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N, 6.4",  // CVE-2013-0375, MySQL
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N, 5.9",
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N, 4.3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N, 5.3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H, 8.8",
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 8.8",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H, 8.1",
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H, 5.5",
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N, 5.4",  // the usual stored XSS
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H, 9.9",
            "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H, 7.2",
            "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 8.8",
            "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 6.8",
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N, 6.5",  // security-wg npm/1.json gives 6.5 beside it
            "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N, 0.0",  // no impact scores zero
            // metrics may come in any order, and temporal/environmental ones do not change the base score
            "CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N, 9.8",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/MAV:L, 9.8",
    })
    void baseScores(String vector, double score) {
        assertThat(CvssV3.baseScore(vector)).isEqualTo(score);
        assertThat(CvssV3.isValid(vector)).isTrue();
    }

    @Test
    void roundUpIsTheSpecificationsIntegerRoundUp() {
        // CVSS v3.1 appendix A: floating point noise must not add 0.1
        assertThat(CvssV3.roundUp(4.000000000000001)).isEqualTo(4.0);
        assertThat(CvssV3.roundUp(4.0)).isEqualTo(4.0);
        assertThat(CvssV3.roundUp(4.02)).isEqualTo(4.1);
        assertThat(CvssV3.roundUp(4.00001)).isEqualTo(4.1);
        assertThat(CvssV3.roundUp(0.0)).isEqualTo(0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",            // A missing
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L",    // repeated
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U",        // security-wg npm/504.json writes I:U, A:U
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",       // empty metric
            "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",        // X is not a base value
            "CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "CVSS:3.1/XX:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    })
    void malformedVectorsAreRefusedWithTheirText(String vector) {
        assertThat(CvssV3.isValid(vector)).isFalse();
        assertThatThrownBy(() -> CvssV3.baseScore(vector)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "AV:N/AC:L/Au:N/C:P/I:P/A:P, 7.5", "AV:N/AC:M/Au:N/C:C/I:C/A:C, 9.3", "AV:N/AC:L/Au:N/C:C/I:C/A:C, 10.0",
            "AV:N/AC:M/Au:N/C:N/I:P/A:N, 4.3", "AV:L/AC:L/Au:N/C:P/I:N/A:N, 2.1", "AV:N/AC:L/Au:N/C:N/I:N/A:P, 5.0",
            "AV:N/AC:M/Au:N/C:P/I:P/A:P, 6.8", "AV:N/AC:L/Au:N/C:N/I:N/A:N, 0.0", "(AV:N/AC:L/Au:N/C:P/I:P/A:P), 7.5",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C, 7.5",
    })
    void v2BaseScores(String vector, double score) {
        assertThat(CvssV2.baseScore(vector)).isEqualTo(score);
    }

    @Test
    void vectorsFromFeedsBecomeCvssRecords() {
        List<String> problems = new ArrayList<>();
        Cvss v31 = CvssVectors.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Double.NaN, "ghsa", problems::add);
        Cvss core = CvssVectors.of("3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", 4.8, "nodejs", problems::add);
        Cvss v2 = CvssVectors.of("AV:N/AC:M/Au:N/C:C/I:C/A:C", Double.NaN, "nvd", problems::add);
        Cvss v4 = CvssVectors.of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", Double.NaN, "x",
                problems::add);
        Cvss broken = CvssVectors.of("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U", 9.8, "nodejs", problems::add);
        assertThat(v31).isEqualTo(new Cvss("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "ghsa"));
        assertThat(core).isEqualTo(new Cvss("3.0", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", 4.8, "nodejs"));
        assertThat(v2.version()).isEqualTo("2.0");
        assertThat(v2.score()).isEqualTo(9.3);
        assertThat(v4.version()).isEqualTo("4.0");
        assertThat(v4.score()).isNaN();
        assertThat(broken.score()).as("the feed's own score is kept when the vector is unusable").isEqualTo(9.8);
        assertThat(problems).singleElement().asString().contains("I:U");
    }
}
