package io.vaultgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shape of the code: which feature package may use which. Arrows only point down, so no two
 * packages depend on each other; ports belong to the package that uses them, and the adapters
 * ({@code vault}, {@code devmode}) stand at the edge, where nothing depends on them.
 * docs/architecture.md draws the same map.
 */
class PackageShapeTest {

    private static final String ROOT = "io.vaultgate";

    /** Each package and the packages it may use; the bottom of the map first. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("web", Set.of()),
            Map.entry("scope", Set.of("web")),
            Map.entry("dotenv", Set.of("scope")),
            Map.entry("database", Set.of("web")),
            Map.entry("values", Set.of("scope", "web")),
            Map.entry("access", Set.of("scope", "web")),
            Map.entry("audit", Set.of("access", "web")),
            Map.entry("ratelimit", Set.of("access", "web")),
            Map.entry("project", Set.of("access", "audit", "database", "ratelimit", "scope", "web")),
            Map.entry(
                    "restart", Set.of("access", "audit", "database", "project", "ratelimit", "scope", "values", "web")),
            Map.entry(
                    "secret",
                    Set.of(
                            "access",
                            "audit",
                            "database",
                            "dotenv",
                            "project",
                            "ratelimit",
                            "restart",
                            "scope",
                            "values",
                            "web")),
            Map.entry(
                    "identity",
                    Set.of("access", "audit", "database", "project", "ratelimit", "scope", "values", "web")),
            Map.entry(
                    "delivery",
                    Set.of(
                            "access",
                            "audit",
                            "database",
                            "dotenv",
                            "identity",
                            "project",
                            "ratelimit",
                            "scope",
                            "secret",
                            "values",
                            "web")),
            Map.entry(
                    "changeset",
                    Set.of("access", "audit", "database", "project", "ratelimit", "scope", "secret", "values", "web")),
            Map.entry(
                    "console",
                    Set.of(
                            "access",
                            "audit",
                            "changeset",
                            "delivery",
                            "identity",
                            "project",
                            "ratelimit",
                            "restart",
                            "scope",
                            "secret",
                            "values",
                            "web")),
            Map.entry("vault", Set.of("access", "delivery", "identity", "values")),
            Map.entry("devmode", Set.of("access", "delivery", "identity", "values")),
            Map.entry("cli", Set.of("scope")));

    /** The product's classes: not the tests, wherever the build puts them (vaultgate.build.dir). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages(ROOT);

    static Set<String> packages() {
        return new TreeSet<>(ALLOWED.keySet());
    }

    @ParameterizedTest
    @MethodSource("packages")
    void aPackageUsesOnlyThePackagesBelowIt(String feature) {
        Set<String> forbidden = new TreeSet<>(ALLOWED.keySet());
        forbidden.removeAll(ALLOWED.get(feature));
        forbidden.remove(feature);
        noClasses()
                .that()
                .resideInAPackage(ROOT + "." + feature + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.stream()
                        .map(other -> ROOT + "." + other + "..")
                        .toArray(String[]::new))
                .because("the arrows of the package map only point down")
                .check(MAIN);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyPackageIsOnTheMap() {
        Set<String> found = new TreeSet<>();
        MAIN.stream()
                .map(c -> c.getPackageName())
                .filter(name -> name.startsWith(ROOT + "."))
                .map(name -> name.substring(ROOT.length() + 1).split("\\.")[0])
                .forEach(found::add);
        org.assertj.core.api.Assertions.assertThat(ALLOWED.keySet()).containsExactlyInAnyOrderElementsOf(found);
    }

    @Test
    void everyTransactionRunsThroughTheRunnerThatRetriesIt() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".database..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.micronaut.transaction.TransactionOperations")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.micronaut.transaction.annotation.Transactional")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("jakarta.transaction.Transactional")
                .because("database.Transactions runs a transaction again when Galera fails it at commit (1213)")
                .check(MAIN);
    }

    @Test
    void onlyTheVaultAdaptersTalkToVault() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".vault..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..")
                .because("Spring Vault, and Vault's HTTP failures, stay in the vault adapters")
                .check(MAIN);
    }

    @Test
    void onlyTheDatabasePackageKnowsTheMysqlDriver() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".database..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.mysql..")
                .because("the driver is a compile dependency for database.StoredTimes alone; features see plain JDBC")
                .check(MAIN);
    }

    @Test
    void nothingDependsOnAnAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackages(ROOT + ".vault..", ROOT + ".devmode..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".vault..", ROOT + ".devmode..")
                .because("features own the ports; the adapters plug in from the edge")
                .check(MAIN);
    }

    @Test
    void theCliTalksHttpOnlyAndStartsNoFramework() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.micronaut..", "java.sql..", "org.springframework..")
                .because("the CLI is plain picocli over the JDK HTTP client, called in loops by scripts")
                .check(MAIN);
    }

    @Test
    void theRootPackageOnlyStartsTheApplication() {
        noClasses()
                .that()
                .resideInAPackage(ROOT)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".*..")
                .check(MAIN);
    }
}
