package dev.bulwark.scan.license;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LicensesTest {
    private static final Pattern REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");

    @Test
    void commonNamesBecomeSpdxIds() {
        assertThat(Licenses.normalize("The Apache Software License, Version 2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("apache-2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("GPL-2+")).containsExactly("GPL-2.0-or-later");
        assertThat(Licenses.normalize("LGPL-2.1+")).containsExactly("LGPL-2.1-or-later");
        assertThat(Licenses.normalize("GPL-2")).containsExactly("GPL-2.0-only");
        assertThat(Licenses.normalize("Expat")).containsExactly("MIT");
        assertThat(Licenses.normalize("MIT, Apache 2.0")).containsExactly("MIT", "Apache-2.0");
    }

    @Test
    void expressionsKeepTheirOperators() {
        assertThat(Licenses.normalize("GPL-1+ or Artistic")).containsExactly("GPL-1.0-or-later OR Artistic-1.0-Perl");
        assertThat(Licenses.normalize("(MIT AND BSD-3-Clause)")).containsExactly("(MIT AND BSD-3-Clause)");
        assertThat(Licenses.normalize("GPL-2+ with OpenSSL exception")).containsExactly("GPL-2.0-or-later WITH LicenseRef-OpenSSL-exception");
    }

    @Test
    void unknownTextsBecomeLicenseRefs() {
        assertThat(Licenses.normalize("Some Vendor EULA v3")).containsExactly("LicenseRef-Some-Vendor-EULA-v3");
        assertThat(Licenses.normalize("   ")).isEmpty();
    }

    @Property(tries = 500)
    void everyOutputIsAnIdALicenseRefOrAnExpressionOfThem(@ForAll String raw) {
        List<String> out = Licenses.normalize(raw);
        for (String e : out) {
            for (String operand : Licenses.operands(e)) {
                assertThat(Licenses.isSpdxId(operand) || REF.matcher(operand).matches()).as("'%s' in '%s' from '%s'", operand, e, raw).isTrue();
            }
        }
    }
}
