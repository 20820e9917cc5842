package io.pulse.engine;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.UserEngagement;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scoring domain stays plain Java: no actors, no configuration library, no I/O stacks. */
class ArchitectureTest {

  private static JavaClasses engine;

  @BeforeAll
  static void importMainClasses() {
    engine =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(CborSerializable.class.getProtectionDomain().getCodeSource().getLocation());
  }

  @Test
  void theDomainIsImported() {
    // Guards the rules below against passing on an import that missed the domain.
    assertTrue(engine.contain(UserEngagement.class));
    assertTrue(engine.contain(ScoringModel.class));
  }

  @Test
  void theDomainDependsOnNoPekkoConfigHttpOrJdbc() {
    noClasses()
        .that()
        .resideInAPackage("io.pulse.engine.domain..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    "org.apache.pekko..",
                    "com.typesafe..",
                    "scala..",
                    "java.sql..",
                    "javax.sql..",
                    "java.net..",
                    "javax.servlet..",
                    "jakarta.servlet..",
                    "org.apache.http..",
                    "okhttp3..",
                    "io.netty..",
                    "org.h2..",
                    "org.postgresql..")
                .and(not(webhookTargetValues())))
        .check(engine);
  }

  /**
   * The webhook target policy reads URLs and addresses with the JDK's own value types, so that it
   * reads them as the HTTP client will; it never resolves a name itself (a resolver is passed in)
   * and opens no connection.
   */
  private static DescribedPredicate<JavaClass> webhookTargetValues() {
    return describe(
        "are the URI and address value types",
        c ->
            c.isEquivalentTo(URI.class)
                || c.isEquivalentTo(URISyntaxException.class)
                || c.isEquivalentTo(InetAddress.class)
                || c.isEquivalentTo(UnknownHostException.class));
  }

  /** Webhook secrets are sealed by the subscription domain with the JDK's AES-GCM. */
  private static DescribedPredicate<JavaClass> sealingCipher() {
    return resideInAnyPackage("javax.crypto..");
  }

  @Test
  void theDomainDependsOnlyOnJavaItselfAndTheMarker() {
    classes()
        .that()
        .resideInAPackage("io.pulse.engine.domain..")
        .should()
        .onlyDependOnClassesThat(
            resideInAnyPackage(
                    "java..", "io.pulse.engine.domain..", "com.fasterxml.jackson.annotation..")
                .or(sealingCipher())
                .or(
                    describe(
                        "are io.pulse.engine.CborSerializable",
                        c -> c.isEquivalentTo(CborSerializable.class))))
        .check(engine);
  }
}
