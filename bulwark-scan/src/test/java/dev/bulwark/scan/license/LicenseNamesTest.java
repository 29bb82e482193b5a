package dev.bulwark.scan.license;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LicenseNamesTest {
    @Test
    void aRememberedAnswerIsTheAnswer() {
        for (int i = 0; i < 3; i++) {
            assertThat(LicenseNames.lookup("Apache License, Version 2.0")).isEqualTo("Apache-2.0");
            assertThat(LicenseNames.lookup("GNU General Public License v2 or later")).isEqualTo("GPL-2.0-or-later");
            assertThat(LicenseNames.lookup("no licence anyone has heard of " + (i % 2))).isNull();
        }
    }
}
