package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Suppression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;

import static dev.bulwark.match.suppress.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** OpenVEX: the payments-api document, statement by statement. */
class OpenVexTest {
    static final LocalDate TODAY = LocalDate.of(2024, 6, 1);
    static final Path DOC = resource("payments-api.openvex.json");
    static Suppressions vex;

    static final Finding LIBSSL_PKCS12 = finding("CVE-2024-0727", LIBSSL3);
    static final Finding OPENSSL_PKCS12 = finding("CVE-2024-0727", OPENSSL);
    static final Finding GO_TEXT = finding("GO-2021-0113", X_TEXT, "CVE-2021-38561", "GHSA-ppp9-7jff-5vj2");
    static final Finding DH_KEYS = finding("CVE-2023-5678", LIBSSL3);
    static final Finding SESSION = finding("CVE-2024-2511", LIBSSL3);
    static final Finding MINIZIP = finding("CVE-2023-45853", ZLIB);
    static final Finding SHADOW = finding("CVE-2023-4641", LOGIN);
    static final Finding NCURSES_CVE = finding("CVE-2023-50495", NCURSES);

    @BeforeAll
    static void load() throws SuppressionException {
        vex = Suppressions.load(List.of(), List.of(DOC), TODAY);
    }

    @Test
    void loadsEveryUsableStatementAndWarnsAboutTheOneWithoutJustification() {
        assertThat(vex.vexStatements()).isEqualTo(7);
        assertThat(vex.warnings()).containsExactly(DOC + ": statement 7 (line 81): CVE-2023-4641: not_affected without"
                + " a justification or impact_statement; not applied");
    }

    @Test
    void debianLibssl3NotAffectedInsideTheImage() {
        Suppressions.Result r = vex.apply(List.of(LIBSSL_PKCS12), target(LIBSSL3));
        assertThat(r.kept()).isEmpty();
        Suppression s = r.suppressed().get(0);
        assertThat(s.finding()).isSameAs(LIBSSL_PKCS12);
        assertThat(s.by()).isEqualTo("openvex");
        assertThat(s.reason()).isEqualTo("vulnerable_code_not_in_execute_path: payments-api never loads PKCS#12 files;"
                + " certificates and keys are read as PEM only.");
        assertThat(s.where()).isEqualTo(DOC + ": statement 1 (line 11)");
    }

    @Test
    void subcomponentScopeLeavesOtherPackagesOfTheImageAlone() {
        Suppressions.Result r = vex.apply(List.of(OPENSSL_PKCS12), target(LIBSSL3, OPENSSL));
        assertThat(r.kept()).containsExactly(OPENSSL_PKCS12);
    }

    @Test
    void imageProductNeedsTheImageIdentity() {
        Suppressions.Result r = vex.apply(List.of(LIBSSL_PKCS12));
        assertThat(r.kept()).containsExactly(LIBSSL_PKCS12);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith(DOC + ": statement 1 (line 11): is about the image"
                + " pkg:oci/payments-api").endsWith("unknown; not applied"));
    }

    @Test
    void anotherImageIsNotTheProduct() {
        ScanTarget orders = ScanTarget.image("registry.example.com/shop/orders-api:2.0");
        assertThat(vex.apply(List.of(LIBSSL_PKCS12), orders).kept()).containsExactly(LIBSSL_PKCS12);
        ScanTarget mirror = ScanTarget.image("mirror.example.org/shop/payments-api:1.4.2");
        assertThat(vex.apply(List.of(LIBSSL_PKCS12), mirror).kept())
                .as("repository_url names registry.example.com").containsExactly(LIBSSL_PKCS12);
        ScanTarget sameRepo = ScanTarget.image("registry.example.com/shop/payments-api:1.5.0");
        assertThat(vex.apply(List.of(LIBSSL_PKCS12), sameRepo).suppressed()).hasSize(1);
    }

    @Test
    void goFindingMatchedThroughItsAlias() {
        Suppressions.Result r = vex.apply(List.of(GO_TEXT));
        assertThat(r.kept()).isEmpty();
        assertThat(r.suppressed().get(0).where()).isEqualTo(DOC + ": statement 2 (line 30)");
        assertThat(r.suppressed().get(0).reason()).startsWith("vulnerable_code_not_in_execute_path: golang.org/x/text/language");
    }

    @Test
    void goFindingOfAnotherModuleVersionIsKept() {
        Finding fixed = finding("GO-2021-0113", X_TEXT_FIXED, "CVE-2021-38561");
        assertThat(vex.apply(List.of(fixed)).kept()).containsExactly(fixed);
    }

    @Test
    void purlVersionMismatchDoesNotSuppress() {
        Suppressions.Result r = vex.apply(List.of(DH_KEYS), target(LIBSSL3));
        assertThat(r.kept()).containsExactly(DH_KEYS);
        assertThat(r.suppressed()).isEmpty();
    }

    @Test
    void laterAffectedStatementOverridesEarlierNotAffected() {
        assertThat(vex.apply(List.of(SESSION), target(LIBSSL3)).kept()).containsExactly(SESSION);
    }

    @Test
    void fixedForTheImageByDigest() {
        Suppressions.Result r = vex.apply(List.of(MINIZIP), target(ZLIB));
        assertThat(r.kept()).isEmpty();
        assertThat(r.suppressed().get(0).reason()).isEqualTo("fixed: The image carries zlib1g rebuilt without minizip.");
        ScanTarget otherDigest = ScanTarget.image("registry.example.com/shop/payments-api:1.4.2", CONFIG.toString());
        assertThat(vex.apply(List.of(MINIZIP), otherDigest).kept())
                .as("the statement names the manifest digest, not the config digest").containsExactly(MINIZIP);
        ScanTarget byDigestOnly = ScanTarget.image("registry.example.com/shop/payments-api@" + MANIFEST);
        assertThat(vex.apply(List.of(MINIZIP), byDigestOnly).kept()).isEmpty();
    }

    @Test
    void invalidAndUndecidedStatementsKeepTheirFindings() {
        Suppressions.Result r = vex.apply(List.of(SHADOW, NCURSES_CVE), target(LOGIN, NCURSES));
        assertThat(r.kept()).containsExactly(SHADOW, NCURSES_CVE);
    }

    @Test
    void keptKeepsInputOrder() {
        List<Finding> in = List.of(SESSION, LIBSSL_PKCS12, DH_KEYS, GO_TEXT, MINIZIP, SHADOW);
        Suppressions.Result r = vex.apply(in, target(LIBSSL3, ZLIB, LOGIN, X_TEXT));
        assertThat(r.kept()).containsExactly(SESSION, DH_KEYS, SHADOW);
        assertThat(r.suppressed()).extracting(Suppression::finding).containsExactly(LIBSSL_PKCS12, GO_TEXT, MINIZIP);
    }

    @Test
    void timeDecidesAcrossFilesNotFileOrder() throws SuppressionException {
        String newer = doc("2024-05-01T00:00:00Z", "CVE-2024-2511", "pkg:deb/debian/libssl3", "\"status\": \"not_affected\","
                + " \"justification\": \"vulnerable_code_not_present\"");
        String older = doc("2024-01-01T00:00:00Z", "CVE-2024-2511", "pkg:deb/debian/libssl3", "\"status\": \"affected\","
                + " \"action_statement\": \"upgrade\"");
        Suppressions s = Suppressions.parse(List.of(), List.of(src("new.json", newer), src("old.json", older)), TODAY);
        assertThat(s.apply(List.of(SESSION)).suppressed()).extracting(Suppression::where).containsExactly("new.json: statement 1 (line 1)");
        Suppressions same = Suppressions.parse(List.of(), List.of(src("a.json", older.replace("2024-01-01", "2024-05-01")),
                src("b.json", newer)), TODAY);
        assertThat(same.apply(List.of(SESSION)).suppressed()).as("equal times: the later file wins").hasSize(1);
    }

    @Test
    void productWithSubcomponentsOtherThanTheImageMustBePresent() throws SuppressionException {
        String json = """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", "timestamp": "2024-05-01T00:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "CVE-2021-38561"},
                   "products": [{"@id": "pkg:golang/registry.example.com/shop/payments-api",
                                 "subcomponents": [{"@id": "pkg:golang/golang.org/x/text"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
                """;
        Suppressions s = Suppressions.parse(List.of(), List.of(src("go.json", json)), TODAY);
        assertThat(s.apply(List.of(GO_TEXT), target(X_TEXT, PAYMENTS_API)).kept()).isEmpty();
        Suppressions.Result absent = s.apply(List.of(GO_TEXT), target(X_TEXT));
        assertThat(absent.kept()).containsExactly(GO_TEXT);
        assertThat(absent.warnings()).anySatisfy(w -> assertThat(w).contains("not among the scanned packages"));
    }

    @Test
    void legacyStringFormsAndIdentifiersPurl() throws SuppressionException {
        String json = """
                {"@context": "https://openvex.dev/ns", "@id": "x", "author": "a", "timestamp": "2023-01-08T18:02:03.647787998-06:00", "version": 1,
                 "statements": [
                   {"vulnerability": "CVE-2024-0727", "products": ["pkg:deb/debian/libssl3@3.0.11-1~deb12u2"],
                    "status": "not_affected", "justification": "component_not_present"},
                   {"vulnerability": {"@id": "https://osv.dev/vulnerability/GO-2021-0113"},
                    "products": [{"@id": "https://example.com/sbom#x-text", "identifiers": {"purl": "pkg:golang/golang.org/x/text@0.3.6"}}],
                    "status": "fixed"}]}
                """;
        Suppressions s = Suppressions.parse(List.of(), List.of(src("legacy.json", json)), TODAY);
        assertThat(s.warnings()).isEmpty();
        Finding goById = finding("CVE-2021-38561", X_TEXT, "GO-2021-0113");
        assertThat(s.apply(List.of(LIBSSL_PKCS12, goById)).kept()).isEmpty();
    }

    @Test
    void inTotoStatementAndDsseEnvelopeAreUnwrapped() throws Exception {
        String openvex = java.nio.file.Files.readString(DOC);
        String statement = "{\"_type\": \"https://in-toto.io/Statement/v0.1\", \"predicateType\": \"https://openvex.dev/ns\","
                + " \"subject\": [{\"name\": \"registry.example.com/shop/payments-api\", \"digest\": {\"sha256\": \""
                + MANIFEST.hex() + "\"}}], \"predicate\": " + openvex + "}";
        String envelope = "{\"payloadType\": \"application/vnd.in-toto+json\", \"payload\": \""
                + Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)) + "\", \"signatures\": []}";
        for (String doc : List.of(statement, envelope)) {
            Suppressions s = Suppressions.parse(List.of(), List.of(src("att.json", doc)), TODAY);
            assertThat(s.vexStatements()).isEqualTo(7);
            assertThat(s.apply(List.of(GO_TEXT, DH_KEYS)).kept()).containsExactly(DH_KEYS);
        }
    }

    static String doc(String time, String id, String purl, String status) {
        return "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"x\", \"author\": \"a\", \"version\": 1,"
                + " \"timestamp\": \"" + time + "\", \"statements\": [{\"vulnerability\": {\"name\": \"" + id + "\"},"
                + " \"products\": [{\"@id\": \"" + purl + "\"}], " + status + "}]}";
    }

    static Suppressions.Source src(String name, String text) {
        return new Suppressions.Source(name, text.getBytes(StandardCharsets.UTF_8));
    }
}
