package io.pulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests agree with kubernetes.conf: labels that discovery selects on, ports and
 * their names, probe paths, the service account that may list pods, and the disruption budget.
 */
class KubernetesManifestsTest {

  private static final Path K8S = Path.of(System.getProperty("basedir", "."), "k8s");

  private static Config config;
  private static List<Map<String, Object>> documents;

  @BeforeAll
  static void load() throws IOException {
    config =
        ConfigFactory.parseResources("kubernetes.conf")
            .withFallback(ConfigFactory.parseResources("cluster.conf"))
            .resolve(ConfigResolveOptions.noSystem());
    documents = new ArrayList<>();
    List<Path> files;
    try (var listing = Files.list(K8S)) {
      files = listing.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      try (Reader reader = Files.newBufferedReader(file)) {
        for (Object document : new Yaml().loadAll(reader)) {
          if (document != null) {
            documents.add(map(document));
          }
        }
      }
    }
  }

  @Test
  void kubernetesConfFormsTheClusterWithBootstrapAndKeepMajority() {
    assertFalse(config.getBoolean("pulse.cluster.join-self"));
    assertTrue(config.getBoolean("pulse.cluster.bootstrap"));
    assertTrue(config.getBoolean("pulse.cluster.management"));
    assertEquals(
        "kubernetes-api",
        config.getString(
            "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals(
        "keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        config.getString("pekko.cluster.downing-provider-class"));
  }

  @Test
  void discoverySelectsThePodsOfTheDeployment() {
    Map<String, Object> deployment = only("Deployment");
    Map<String, Object> podLabels = map(path(deployment, "spec", "template", "metadata", "labels"));
    assertEquals(podLabels, map(path(deployment, "spec", "selector", "matchLabels")));
    String serviceName =
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name");
    String selector =
        String.format(
            config.getString("pekko.discovery.kubernetes-api.pod-label-selector"), serviceName);
    String[] keyValue = selector.split("=", 2);
    assertEquals(keyValue[1], podLabels.get(keyValue[0]), "pods carry " + selector);
    Map<String, Object> appLabel = env(container(deployment), "PULSE_K8S_APP_LABEL");
    assertEquals(
        "metadata.labels['" + keyValue[0] + "']",
        path(appLabel, "valueFrom", "fieldRef", "fieldPath"),
        "the service name handed to discovery is the label's own value");
  }

  @Test
  void containerPortsAreTheConfiguredOnes() {
    Map<String, Object> container = container(only("Deployment"));
    assertEquals(config.getInt("pulse.http.port"), port(container, "http"));
    assertEquals(config.getInt("pekko.management.http.port"), port(container, "management"));
    assertEquals(config.getInt("pekko.remote.artery.canonical.port"), port(container, "remoting"));
    String contactPortName =
        config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name");
    assertEquals(config.getInt("pekko.management.http.port"), port(container, contactPortName));
    assertEquals(
        "status.podIP",
        path(env(container, "PULSE_REMOTE_HOST"), "valueFrom", "fieldRef", "fieldPath"));
    assertTrue(
        list(container.get("command")).contains("-Dconfig.resource=kubernetes.conf"),
        "the container runs with kubernetes.conf");
  }

  @Test
  void probesUseTheManagementHealthRoutes() {
    Map<String, Object> container = container(only("Deployment"));
    String readiness = "/" + config.getString("pekko.management.health-checks.readiness-path");
    String liveness = "/" + config.getString("pekko.management.health-checks.liveness-path");
    assertEquals(readiness, path(container, "readinessProbe", "httpGet", "path"));
    assertEquals("management", path(container, "readinessProbe", "httpGet", "port"));
    assertEquals(liveness, path(container, "livenessProbe", "httpGet", "path"));
    assertEquals("management", path(container, "livenessProbe", "httpGet", "port"));
    assertEquals(liveness, path(container, "startupProbe", "httpGet", "path"));
    Map<String, Object> readinessChecks =
        config.getConfig("pekko.management.health-checks.readiness-checks").root().unwrapped();
    assertTrue(readinessChecks.containsValue("io.pulse.api.cluster.JournalReadinessCheck"));
    assertTrue(readinessChecks.containsValue("io.pulse.api.cluster.UserShardsReadinessCheck"));
  }

  @Test
  void metricsAreScrapedFromTheHttpPort() {
    Map<String, Object> annotations =
        map(path(only("Deployment"), "spec", "template", "metadata", "annotations"));
    assertEquals(
        Integer.toString(config.getInt("pulse.http.port")), annotations.get("prometheus.io/port"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
  }

  @Test
  void requiredContactPointsAreAMajorityOfTheReplicas() {
    Map<String, Object> deployment = only("Deployment");
    int replicas = (Integer) path(deployment, "spec", "replicas");
    int required =
        config.getInt(
            "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr");
    assertEquals(
        Integer.toString(required),
        env(container(deployment), "PULSE_REQUIRED_CONTACT_POINTS").get("value"));
    assertTrue(required > replicas / 2 && required <= replicas, required + " of " + replicas);
    assertEquals(0, path(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
  }

  @Test
  void shutdownHasTimeToDrainBeforeTheKubeletKills() {
    Map<String, Object> deployment = only("Deployment");
    int grace =
        (Integer) path(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
    long drain =
        config
            .getDuration("pekko.coordinated-shutdown.phases.service-requests-done.timeout")
            .toSeconds();
    // After the HTTP drain come shard hand-off, leaving and exiting (10s each by default).
    assertTrue(grace >= drain + 30, "terminationGracePeriodSeconds " + grace);
  }

  @Test
  void serviceSendsHttpToThePods() {
    Map<String, Object> deployment = only("Deployment");
    Map<String, Object> service = only("Service");
    assertEquals(
        map(path(deployment, "spec", "template", "metadata", "labels")),
        map(path(service, "spec", "selector")));
    Map<String, Object> port = map(list(path(service, "spec", "ports")).get(0));
    assertEquals(config.getInt("pulse.http.port"), port.get("port"));
    assertEquals("http", port.get("targetPort"));
  }

  @Test
  void theServiceAccountMayListPodsInItsNamespace() {
    Map<String, Object> deployment = only("Deployment");
    String namespace = (String) path(deployment, "metadata", "namespace");
    String account = (String) path(deployment, "spec", "template", "spec", "serviceAccountName");
    Map<String, Object> serviceAccount = only("ServiceAccount");
    assertEquals(account, path(serviceAccount, "metadata", "name"));
    assertEquals(namespace, path(serviceAccount, "metadata", "namespace"));

    Map<String, Object> role = only("Role");
    Map<String, Object> rule = map(list(role.get("rules")).get(0));
    assertEquals(List.of(""), rule.get("apiGroups"));
    assertEquals(List.of("pods"), rule.get("resources"));
    assertTrue(list(rule.get("verbs")).containsAll(List.of("get", "watch", "list")));

    Map<String, Object> binding = only("RoleBinding");
    assertEquals("Role", path(binding, "roleRef", "kind"));
    assertEquals(path(role, "metadata", "name"), path(binding, "roleRef", "name"));
    Map<String, Object> subject = map(list(binding.get("subjects")).get(0));
    assertEquals("ServiceAccount", subject.get("kind"));
    assertEquals(account, subject.get("name"));
    assertEquals(namespace, subject.get("namespace"));
    assertEquals(namespace, path(role, "metadata", "namespace"));
    assertEquals(namespace, path(binding, "metadata", "namespace"));
  }

  @Test
  void disruptionsTakeOnePodAtATime() {
    Map<String, Object> deployment = only("Deployment");
    Map<String, Object> budget = only("PodDisruptionBudget");
    assertEquals("policy/v1", budget.get("apiVersion"));
    assertEquals(
        map(path(deployment, "spec", "template", "metadata", "labels")),
        map(path(budget, "spec", "selector", "matchLabels")));
    assertEquals(1, path(budget, "spec", "maxUnavailable"));
  }

  @Test
  void everyPodHasTheSameKeysFromKubernetesSecrets() {
    Map<String, Object> container = container(only("Deployment"));
    for (String variable : List.of("PULSE_ADMIN_KEY", "PULSE_SECRET_KEY")) {
      Map<String, Object> env = env(container, variable);
      assertFalse(env.containsKey("value"), variable + " is never written into the manifest");
      assertEquals("key", path(env, "valueFrom", "secretKeyRef", "key"), variable);
    }
    assertEquals(
        "pulse-admin-key",
        path(env(container, "PULSE_ADMIN_KEY"), "valueFrom", "secretKeyRef", "name"));
    assertEquals(
        "pulse-secret-key",
        path(env(container, "PULSE_SECRET_KEY"), "valueFrom", "secretKeyRef", "name"));
  }

  @Test
  void theOperationsGuideCreatesEverySecretThePodsRead() throws IOException {
    String guide = Files.readString(K8S.resolve("../../docs/operations.md").normalize());
    Map<String, Object> container = container(only("Deployment"));
    List<Map<String, Object>> references =
        list(container.get("env")).stream()
            .map(KubernetesManifestsTest::map)
            .filter(
                variable ->
                    variable.get("valueFrom") instanceof Map<?, ?> from
                        && from.containsKey("secretKeyRef"))
            .map(variable -> map(path(variable, "valueFrom", "secretKeyRef")))
            .toList();
    assertTrue(references.size() >= 5, "secret references: " + references);
    for (Map<String, Object> reference : references) {
      String name = (String) reference.get("name");
      int created = guide.indexOf("create secret generic " + name + " ");
      assertTrue(created >= 0, "docs/operations.md creates the secret " + name);
      int end = guide.indexOf("\nkubectl", created);
      String command = guide.substring(created, end < 0 ? guide.length() : end);
      assertTrue(
          command.contains("--from-literal=" + reference.get("key") + "="),
          "the secret " + name + " gets the key " + reference.get("key") + ": " + command);
    }
  }

  @Test
  void everyManifestIsListedInTheKustomization() throws IOException {
    try (Reader reader = Files.newBufferedReader(K8S.resolve("kustomization.yaml"))) {
      Map<String, Object> kustomization = map(new Yaml().load(reader));
      List<Object> resources = list(kustomization.get("resources"));
      try (var listing = Files.list(K8S)) {
        listing
            .map(file -> file.getFileName().toString())
            .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
            .forEach(name -> assertTrue(resources.contains(name), name));
      }
    }
  }

  private static Map<String, Object> only(String kind) {
    List<Map<String, Object>> found =
        documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    assertEquals(1, found.size(), "one " + kind);
    return found.get(0);
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    List<Object> containers = list(path(deployment, "spec", "template", "spec", "containers"));
    assertEquals(1, containers.size());
    return map(containers.get(0));
  }

  private static int port(Map<String, Object> container, String name) {
    Optional<Map<String, Object>> port =
        list(container.get("ports")).stream()
            .map(KubernetesManifestsTest::map)
            .filter(candidate -> name.equals(candidate.get("name")))
            .findFirst();
    assertTrue(port.isPresent(), "container port named " + name);
    return (Integer) port.get().get("containerPort");
  }

  private static Map<String, Object> env(Map<String, Object> container, String name) {
    return list(container.get("env")).stream()
        .map(KubernetesManifestsTest::map)
        .filter(variable -> name.equals(variable.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  private static Object path(Map<String, Object> document, String... keys) {
    Object current = document;
    for (String key : keys) {
      assertNotNull(current, String.join(".", keys));
      current = map(current).get(key);
    }
    assertNotNull(current, String.join(".", keys));
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertTrue(value instanceof Map, "a mapping: " + value);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertTrue(value instanceof List, "a list: " + value);
    return (List<Object>) value;
  }
}
