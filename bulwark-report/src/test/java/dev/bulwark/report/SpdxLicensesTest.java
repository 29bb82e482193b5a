package dev.bulwark.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bulwark.report.SpdxLicenses.Kind.EXPRESSION;
import static dev.bulwark.report.SpdxLicenses.Kind.ID;
import static dev.bulwark.report.SpdxLicenses.Kind.NAME;
import static org.assertj.core.api.Assertions.assertThat;

class SpdxLicensesTest {
    @Test
    void idsAreMatchedIgnoringCaseAndWrittenInTheirListedCase() {
        assertThat(SpdxLicenses.canonicalId("apache-2.0")).hasValue("Apache-2.0");
        assertThat(SpdxLicenses.canonicalId("GPL-2.0-or-later")).hasValue("GPL-2.0-or-later");
        assertThat(SpdxLicenses.canonicalId("Apache 2.0")).isEmpty();
        assertThat(SpdxLicenses.canonicalId("GPL-2+")).isEmpty();
    }

    @Test
    void expressions() {
        assertThat(SpdxLicenses.canonicalExpression("mit or apache-2.0")).hasValue("MIT OR Apache-2.0");
        assertThat(SpdxLicenses.canonicalExpression("(MIT OR Apache-2.0)AND BSD-3-Clause")).hasValue("(MIT OR Apache-2.0) AND BSD-3-Clause");
        assertThat(SpdxLicenses.canonicalExpression("GPL-2.0-only WITH Classpath-exception-2.0")).hasValue("GPL-2.0-only WITH Classpath-exception-2.0");
        assertThat(SpdxLicenses.canonicalExpression("LGPL-2.1+")).hasValue("LGPL-2.1+");
        assertThat(SpdxLicenses.canonicalExpression("((MIT OR ISC))")).hasValue("MIT OR ISC");
        assertThat(SpdxLicenses.canonicalExpression("(MIT) AND (ISC)")).hasValue("(MIT) AND (ISC)");
        assertThat(SpdxLicenses.canonicalExpression("LicenseRef-Acme-1.0 AND MIT")).hasValue("LicenseRef-Acme-1.0 AND MIT");
        for (String bad : List.of("GPL-2+ with exception", "MIT OR", "(MIT", "MIT)", "AND MIT", "MIT Apache-2.0",
                "(MIT OR ISC) WITH Classpath-exception-2.0", "DocumentRef-x:LicenseRef-y", "LicenseRef-a_b", "", "()",
                "MIT WITH", "LicenseRef-x WITH Classpath-exception-2.0")) {
            assertThat(SpdxLicenses.canonicalExpression(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void classification() {
        assertThat(SpdxLicenses.classify(List.of("Apache-2.0", " MIT OR ISC ", "GPL-2+ with exception", "  ")))
                .extracting(SpdxLicenses.Declared::kind, SpdxLicenses.Declared::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ID, "Apache-2.0"),
                        org.assertj.core.groups.Tuple.tuple(EXPRESSION, "MIT OR ISC"),
                        org.assertj.core.groups.Tuple.tuple(NAME, "GPL-2+ with exception"));
    }

    @Test
    void licenseRefsFromFreeText() {
        assertThat(SpdxLicenses.licenseRef("GPL-2+ with exception")).isEqualTo("LicenseRef-GPL-2-with-exception");
        assertThat(SpdxLicenses.licenseRef("  (c) Acme, Inc. ")).isEqualTo("LicenseRef-c-Acme-Inc.");
        assertThat(SpdxLicenses.licenseRef("©")).isEqualTo("LicenseRef-unknown");
        assertThat(SpdxLicenses.licenseRefs("(LicenseRef-a OR MIT) AND LicenseRef-b.2")).containsExactly("LicenseRef-a", "LicenseRef-b.2");
    }
}
