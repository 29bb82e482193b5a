package dev.bulwark.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Keeps the arrows of DESIGN.md's module map honest, down to packages. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        // Test jars of other modules (test fixtures such as the registry token server) are on this classpath too.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.bulwark");
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.bulwark.model..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.bulwark.model..", "java..")
                .check(classes);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        noClasses().that().resideInAnyPackage("dev.bulwark.image..", "dev.bulwark.docker..", "dev.bulwark.report..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.scan..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.report..", "dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.report..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.image..", "dev.bulwark.docker..",
                        "dev.bulwark.vulndb..", "dev.bulwark.match..", "dev.bulwark.audit..")
                .check(classes);
        // the DESIGN module map: vulndb sees only the model; match sees vulndb; audit sees docker; none sees the CLI
        noClasses().that().resideInAPackage("dev.bulwark.vulndb..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.match..", "dev.bulwark.scan..",
                        "dev.bulwark.image..", "dev.bulwark.report..", "dev.bulwark.audit..", "dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.match..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.image..",
                        "dev.bulwark.report..", "dev.bulwark.audit..", "dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.audit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.vulndb..",
                        "dev.bulwark.match..", "dev.bulwark.report..", "dev.bulwark.cli..")
                .check(classes);
        // policy sees docker and the model; harden sees image and the model
        noClasses().that().resideInAPackage("dev.bulwark.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.vulndb..",
                        "dev.bulwark.match..", "dev.bulwark.report..", "dev.bulwark.audit..", "dev.bulwark.harden..",
                        "dev.bulwark.image..", "dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.trust..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.vulndb..",
                        "dev.bulwark.match..", "dev.bulwark.report..", "dev.bulwark.audit..", "dev.bulwark.policy..",
                        "dev.bulwark.harden..", "dev.bulwark.docker..", "dev.bulwark.cli..")
                .check(classes);
        // the server composes the facades below it; only the cli sits above it
        noClasses().that().resideInAPackage("dev.bulwark.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.cli..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.bulwark.model..", "dev.bulwark.image..", "dev.bulwark.docker..",
                        "dev.bulwark.report..", "dev.bulwark.scan..", "dev.bulwark.vulndb..", "dev.bulwark.match..",
                        "dev.bulwark.audit..", "dev.bulwark.policy..", "dev.bulwark.harden..", "dev.bulwark.trust..")
                .should().dependOnClassesThat().resideInAPackage("dev.bulwark.server..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.bulwark.harden..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bulwark.scan..", "dev.bulwark.vulndb..",
                        "dev.bulwark.match..", "dev.bulwark.report..", "dev.bulwark.audit..", "dev.bulwark.policy..",
                        "dev.bulwark.docker..", "dev.bulwark.cli..")
                .check(classes);
    }

    @Test
    void analysersDoNotDependOnEachOther() {
        slices().matching("dev.bulwark.scan.(os|lang).(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void onlyTheCliExits() {
        noClasses().that().resideOutsideOfPackage("dev.bulwark.cli..")
                .should().callMethod(System.class, "exit", int.class).check(classes);
    }

    @Test
    void noCyclesBetweenModules() {
        slices().matching("dev.bulwark.(*)..").should().beFreeOfCycles().check(classes);
    }
}
