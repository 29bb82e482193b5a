package dev.bulwark.match.version;

import static dev.bulwark.match.version.OrderingAssert.ascending;
import static dev.bulwark.match.version.OrderingAssert.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApkVersionTest {
    private static final Scheme S = Scheme.APK;

    @Test
    void kindsOfPartsSortAsApkToolsSortsThem() {
        // pre-release suffix < end < revision < hash < suffix number < post-release suffix < letter < number
        ascending(S, "1.0_rc", "1.0", "1.0-r5", "1.0~a", "1.0_p", "1.0a", "1.0.0");
        ascending(S, "1.0_p", "1.0_p-r1", "1.0_p0", "1.0_p_p");
        ascending(S, "1.0_alpha_beta", "1.0_alpha", "1.0_alpha-r5", "1.0_alpha1");
    }

    @Test
    void suffixesSortInTheDocumentedOrder() {
        // apk-package(5): alpha, beta, pre, rc, <no suffix>, cvs, svn, git, hg, p
        ascending(S, "1.0_alpha", "1.0_beta", "1.0_pre", "1.0_rc", "1.0", "1.0_cvs", "1.0_svn", "1.0_git", "1.0_hg",
                "1.0_p");
        ascending(S, "1.3_alpha", "1.3_alpha2", "1.3_alpha3", "1.3_alpha10");
        ascending(S, "3.1_p16", "3.1_p17");
        ascending(S, "1.0_p9-r0", "1.0_p10-r0");
        ascending(S, "2.1_pre20", "2.1_pre26");
        ascending(S, "1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0");
    }

    @Test
    void aSecondSuffixRefinesTheFirst() {
        ascending(S, "0.1.0_alpha_pre2", "0.1.0_alpha", "0.1.0_alpha_p1", "0.1.0_beta");
    }

    @Test
    void revisionsComeLast() {
        ascending(S, "1.0.4-r3", "1.0.4-r4", "1.0.5");
        ascending(S, "1.3.5-r8", "1.3.5-r9", "1.3.5-r10");
        ascending(S, "2.8.9", "2.8.9-r1");
        // a revision, even -r0, sorts above none
        ascending(S, "1.0", "1.0-r0", "1.0-r1");
        equal(S, "1.0-r1", "1.0-r01");
    }

    @Test
    void moreNumbersWinOverSuffixesAndLetters() {
        ascending(S, "1.2", "1.2.1");
        ascending(S, "1.3_pre1-r1", "1.3", "1.3_p1", "1.3.2");
        ascending(S, "1.7", "1.7b", "1.8");
        ascending(S, "2.5.1-r8", "2.5.1a-r1");
        ascending(S, "0.9.8c-r1", "0.9.8d");
    }

    @Test
    void laterNumbersWithALeadingZeroCompareAsFractions() {
        ascending(S, "1.02", "1.03-r1", "1.1");
        ascending(S, "1.2.07.8", "1.2.12.04", "1.2.12.05");
        ascending(S, "4.01", "4.20");
        ascending(S, "1.0", "1.00", "1.001", "1.01", "1.010", "1.02", "1.1");
        // the first number is always numeric
        ascending(S, "1.06-r6", "006", "013", "014-r1", "087-r1", "103");
        ascending(S, "3.0.20060720", "20060720");
    }

    @Test
    void theCommitHashSortsBetweenRevisionAndSuffixNumber() {
        ascending(S, "1.0", "1.0-r0", "1.0~abc123", "1.0~abc123-r1", "1.0~def456", "1.0_p", "1.0a", "1.0.0");
        ascending(S, "1.0_p", "1.0_p~a", "1.0_p1");
        assertThat(ApkVersion.parse("1.0~abc123-r2").hash()).isEqualTo("abc123");
        assertThat(ApkVersion.parse("1.0~abc123-r2").revision()).isEqualTo("2");
    }

    @Test
    void invalidVersionsAreRefused() {
        assertThatThrownBy(() -> ApkVersion.parse("1.0bc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid apk version '1.0bc' at offset 4: unexpected 'c'");
        assertThatThrownBy(() -> ApkVersion.parse("1.0_foo")).hasMessageContaining("unknown suffix");
        assertThatThrownBy(() -> ApkVersion.parse("1.0-1")).hasMessageContaining("expected 'r' after '-'");
        assertThatThrownBy(() -> ApkVersion.parse("v1.0")).hasMessageContaining("must start with a number");
        assertThatThrownBy(() -> ApkVersion.parse("1.0~XYZ")).hasMessageContaining("hex digits");
        assertThat(ApkVersion.isValid("1..0")).isFalse();
        assertThat(ApkVersion.isValid(null)).isFalse();
    }
}
