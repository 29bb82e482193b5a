package dev.bulwark.scan.license;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LicensesTest {
    @Test
    void spdxIdsInAnyCase() {
        assertThat(Licenses.normalize("apache-2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("mit")).containsExactly("MIT");
        assertThat(Licenses.normalize("bsd-3-clause")).containsExactly("BSD-3-Clause");
        assertThat(Licenses.normalize("GPL-3.0-or-later")).containsExactly("GPL-3.0-or-later");
    }

    @Test
    void commonNamesBecomeSpdxIds() {
        assertThat(Licenses.normalize("Apache License, Version 2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("The Apache Software License, Version 2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("Apache 2")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("ASL 2.0")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("The MIT License")).containsExactly("MIT");
        assertThat(Licenses.normalize("MIT License")).containsExactly("MIT");
        assertThat(Licenses.normalize("Expat")).containsExactly("MIT");
        assertThat(Licenses.normalize("BSD")).containsExactly("BSD-3-Clause");
        assertThat(Licenses.normalize("BSD 3-Clause")).containsExactly("BSD-3-Clause");
        assertThat(Licenses.normalize("MPL 2.0")).containsExactly("MPL-2.0");
        assertThat(Licenses.normalize("EPL 1.0")).containsExactly("EPL-1.0");
        assertThat(Licenses.normalize("Eclipse Public License - v 2.0")).containsExactly("EPL-2.0");
        assertThat(Licenses.normalize("CDDL")).containsExactly("CDDL-1.0");
        assertThat(Licenses.normalize("Public Domain")).containsExactly("LicenseRef-Public-Domain");
        assertThat(Licenses.normalize("CC0 1.0")).containsExactly("CC0-1.0");
        assertThat(Licenses.normalize("CDDL + GPLv2 with classpath exception"))
                .containsExactly("CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0");
    }

    @Test
    void gnuLicencesWithTheirVersionAndOrLater() {
        assertThat(Licenses.normalize("GPLv2+")).containsExactly("GPL-2.0-or-later");
        assertThat(Licenses.normalize("GPL-2+")).containsExactly("GPL-2.0-or-later");
        assertThat(Licenses.normalize("GPL-2")).containsExactly("GPL-2.0-only");
        assertThat(Licenses.normalize("GPL-2.0")).as("deprecated id").containsExactly("GPL-2.0-only");
        assertThat(Licenses.normalize("GPL-2.0+")).as("deprecated id").containsExactly("GPL-2.0-or-later");
        assertThat(Licenses.normalize("LGPL-2.1+")).containsExactly("LGPL-2.1-or-later");
        assertThat(Licenses.normalize("LGPLv3")).containsExactly("LGPL-3.0-only");
        assertThat(Licenses.normalize("GPL version 2 or later")).containsExactly("GPL-2.0-or-later");
        assertThat(Licenses.normalize("GNU General Public License v3 (GPLv3)")).containsExactly("GPL-3.0-only");
        assertThat(Licenses.normalize("GNU Lesser General Public License v2 or later (LGPLv2+)")).containsExactly("LGPL-2.0-or-later");
        assertThat(Licenses.normalize("GNU Affero General Public License v3 or later (AGPLv3+)")).containsExactly("AGPL-3.0-or-later");
        assertThat(Licenses.normalize("GNU Library or Lesser General Public License (LGPL)")).containsExactly("LGPL-2.0-or-later");
        assertThat(Licenses.normalize("GPL")).as("no version: any version ever published").containsExactly("GPL-1.0-or-later");
        assertThat(Licenses.normalize("GPL-2.0-with-classpath-exception")).containsExactly("GPL-2.0-only WITH Classpath-exception-2.0");
    }

    @Test
    void pythonTroveClassifiers() {
        for (String[] c : new String[][]{{"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"}, {"ISC License (ISCL)", "ISC"},
                {"The Unlicense (Unlicense)", "Unlicense"}, {"Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"},
                {"Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"}, {"Apache Software License", "Apache-2.0"},
                {"BSD License", "BSD-3-Clause"}, {"Python Software Foundation License", "PSF-2.0"},
                {"European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"}, {"MIT No Attribution License (MIT-0)", "MIT-0"},
                {"GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"}, {"zlib/libpng License", "Zlib"},
                {"CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"}}) {
            assertThat(Licenses.normalize(c[0])).as(c[0]).containsExactly(c[1]);
        }
    }

    @Test
    void licenceUrls() {
        assertThat(Licenses.normalize("https://www.apache.org/licenses/LICENSE-2.0.txt")).containsExactly("Apache-2.0");
        assertThat(Licenses.normalize("http://opensource.org/licenses/MIT")).containsExactly("MIT");
        assertThat(Licenses.normalize("https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html")).containsExactly("LGPL-2.1-only");
        assertThat(Licenses.normalize("https://spdx.org/licenses/BSD-2-Clause.html")).containsExactly("BSD-2-Clause");
    }

    @Test
    void expressionsKeepTheirOperators() {
        assertThat(Licenses.normalize("GPL-1+ or Artistic")).containsExactly("GPL-1.0-or-later OR Artistic-1.0-Perl");
        assertThat(Licenses.normalize("(MIT AND BSD-3-Clause)")).containsExactly("MIT AND BSD-3-Clause");
        assertThat(Licenses.normalize("(mit or apache-2.0) and bsd-3-clause")).containsExactly("(MIT OR Apache-2.0) AND BSD-3-Clause");
        assertThat(Licenses.normalize("GPL-2.0-only WITH Classpath-exception-2.0")).containsExactly("GPL-2.0-only WITH Classpath-exception-2.0");
        assertThat(Licenses.normalize("Apache 2.0 / MIT")).containsExactly("Apache-2.0 OR MIT");
        assertThat(Licenses.normalize("GPL-2+ with GCC runtime library exception")).containsExactly("GPL-2.0-or-later WITH GCC-exception-3.1");
        assertThat(Licenses.normalize("GNU General Public License v2 (GPLv2) or MIT")).containsExactly("GPL-2.0-only OR MIT");
        assertThat(Licenses.normalize("MIT AND")).containsExactly("MIT");
        assertThat(Licenses.normalize("LicenseRef-Acme-1.0 OR MIT")).containsExactly("LicenseRef-Acme-1.0 OR MIT");
    }

    @Test
    void anExceptionSpdxDoesNotListStaysBesideTheLicence() {
        // "WITH" takes only listed exceptions: the licence is kept, the extra permission named.
        assertThat(Licenses.normalize("GPL-2+ with OpenSSL exception")).containsExactly("GPL-2.0-or-later AND LicenseRef-OpenSSL-exception");
    }

    @Test
    void listsSplitSensibly() {
        assertThat(Licenses.normalize("MIT, Apache 2.0")).containsExactly("MIT", "Apache-2.0");
        assertThat(Licenses.normalize("MIT, Apache License, Version 2.0; BSD")).containsExactly("MIT", "Apache-2.0", "BSD-3-Clause");
    }

    @Test
    void licenceTextsWhereANameWasExpected() {
        assertThat(Licenses.normalize("MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted...")).containsExactly("MIT");
        assertThat(Licenses.normalize("Copyright (c) 2011, Someone\nAll rights reserved.\n\nRedistribution and use in source and binary "
                + "forms, with or without\nmodification, are permitted... Neither the name of the copyright holder may be used to endorse or promote"))
                .containsExactly("BSD-3-Clause");
        assertThat(Licenses.normalize("Copyright 2001 Acme\nAll rights reserved, no use permitted.")).containsExactly("LicenseRef-Copyright-2001-Acme");
    }

    @Test
    void unknownTextsBecomeLicenseRefs() {
        assertThat(Licenses.normalize("Some Vendor EULA v3")).containsExactly("LicenseRef-Some-Vendor-EULA-v3");
        assertThat(Licenses.normalize("   ")).isEmpty();
        assertThat(Licenses.normalize(null)).isEmpty();
        assertThat(Licenses.normalize("©")).containsExactly("LicenseRef-unknown");
    }

    @Property(tries = 1000)
    void everyOutputIsValidSpdx(@ForAll String raw) {
        for (String e : Licenses.normalize(raw)) assertThat(Validator.valid(e)).as("'%s' from '%s'", e, raw).isTrue();
    }

    @Property(tries = 1000)
    void everyOutputIsValidSpdxForLicenceLikeText(@ForAll("licenceLike") String raw) {
        for (String e : Licenses.normalize(raw)) assertThat(Validator.valid(e)).as("'%s' from '%s'", e, raw).isTrue();
    }

    @Provide
    Arbitrary<String> licenceLike() {
        Arbitrary<String> word = Arbitraries.of("MIT", "GPL-2+", "Apache 2.0", "with", "WITH", "and", "or", "OR", "(", ")", "/", ",", ";",
                "Classpath exception", "BSD", "LicenseRef-x", "GPL-2.0-only", "Classpath-exception-2.0", "+", "&", "|", "GNU",
                "Public Domain", "http://x/y", "\n", "v2", "Version", "License", "(GPL)", "LGPL");
        return word.list().ofMaxSize(12).map(l -> String.join(" ", l));
    }

    /** SPDX 2.3 annex D, independently of the code under test: ids from the list, LicenseRefs, operators, parentheses. */
    static final class Validator {
        private static final Pattern TOKEN = Pattern.compile("[()]|[^\\s()]+");
        private final List<String> t = new ArrayList<>();
        private int pos;

        static boolean valid(String e) {
            if (!e.equals(e.strip()) || e.contains("  ")) return false;
            Validator v = new Validator();
            Matcher m = TOKEN.matcher(e);
            while (m.find()) v.t.add(m.group());
            try {
                v.or();
                return v.pos == v.t.size();
            } catch (IllegalStateException x) {
                return false;
            }
        }

        void or() {
            and();
            while (accept("OR")) and();
        }

        void and() {
            with();
            while (accept("AND")) with();
        }

        void with() {
            String tok = next();
            if (tok.equals("(")) {
                or();
                if (!next().equals(")")) throw new IllegalStateException();
                return;
            }
            boolean ref = tok.matches("LicenseRef-[A-Za-z0-9.-]+");
            boolean id = Licenses.isSpdxId(tok) || tok.endsWith("+") && Licenses.isSpdxId(tok.substring(0, tok.length() - 1));
            if (!ref && !id) throw new IllegalStateException(tok);
            if (accept("WITH")) {
                if (ref || !Licenses.isSpdxException(next())) throw new IllegalStateException();
            }
        }

        boolean accept(String op) {
            if (pos < t.size() && t.get(pos).equals(op)) {
                pos++;
                return true;
            }
            return false;
        }

        String next() {
            if (pos >= t.size()) throw new IllegalStateException();
            return t.get(pos++);
        }
    }
}
