package io.ordinal.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.ordinal.config.OrdinalConfig;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The manifests the build generates (copied to {@code k8s/base/kubernetes.yml}; {@code .ci/run} fails
 * if the copy is stale) and the overlays {@code kubectl kustomize} renders from them: everything the
 * StatefulSet, the frontend Deployment and their Services must agree on.
 */
class ManifestsTest {

    static final Path K8S = Path.of("k8s");
    private static final Manifests BASE = Manifests.read(K8S.resolve("base/kubernetes.yml"));
    private static final String REPLICAS_ENV = "ORDINAL_CLUSTER_REPLICAS";
    static final int MANAGEMENT_PORT = 9000;

    @Test
    void everyFieldIsOneKubernetesKnows() {
        assertThat(BASE.unknownFields()).isEmpty();
    }

    @Test
    void replicasAreAStatefulSetWithParallelPodsAndAHeadlessPeerServiceThatPublishesNotReadyPods() {
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(Manifests.selects(sts.getSpec().getSelector().getMatchLabels(), podLabels(sts))).isTrue();

        Service peers = BASE.get(Service.class, sts.getSpec().getServiceName());
        assertThat(peers.getMetadata().getName()).isEqualTo("kv-store-peers");
        assertThat(peers.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(Manifests.selects(peers.getSpec().getSelector(), podLabels(sts))).isTrue();
        // Replicas find each other under this Service: the default peer host must name it.
        assertThat(defaultOf(OrdinalConfig.Cluster.class, "peerHost")).contains("." + peers.getMetadata().getName() + ".");
    }

    @Test
    void eachReplicaTakesItsIdentityFromItsPodNameAndKeepsItsDataOnItsClaim() {
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        Container c = container(sts.getSpec().getTemplate().getSpec());
        assertThat(env(c, "ORDINAL_ROLE").getValue()).isEqualTo("replica");
        assertThat(env(c, "ORDINAL_POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(c, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env(c, "ORDINAL_MEMBERSHIP_SOURCE").getValue()).isEqualTo("kubernetes");
        assertThat(env(c, "MALLOC_ARENA_MAX").getValue()).isEqualTo("2");
        assertThat(env(c, REPLICAS_ENV).getValue()).isEqualTo(Integer.toString(sts.getSpec().getReplicas()));

        List<PersistentVolumeClaim> claims = sts.getSpec().getVolumeClaimTemplates();
        assertThat(claims).hasSize(1);
        PersistentVolumeClaim claim = claims.get(0);
        VolumeMount data = c.getVolumeMounts().stream().filter(m -> m.getName().equals(claim.getMetadata().getName()))
                .findFirst().orElseThrow();
        assertThat(env(c, "ORDINAL_REPLICA_DATA_DIR").getValue()).isEqualTo(data.getMountPath());
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        // Deleting the StatefulSet keeps the data; scaling down keeps the claims of the removed
        // ordinals too (each replica clears its own volume once it has left the group).
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
    }

    @Test
    void noVersionLabelInSelectorsOrClaimTemplatesSoThatTheNextVersionApplies() {
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).doesNotContainKey("app.kubernetes.io/version");
        assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getLabels())
                .doesNotContainKey("app.kubernetes.io/version");
        assertThat(BASE.get(Deployment.class, "kv-frontend").getSpec().getSelector().getMatchLabels())
                .doesNotContainKey("app.kubernetes.io/version");
        for (Service s : BASE.all(Service.class)) {
            assertThat(s.getSpec().getSelector()).as(s.getMetadata().getName()).doesNotContainKey("app.kubernetes.io/version");
        }
    }

    @Test
    void portsMatchTheConfiguration() {
        int raft = Integer.parseInt(defaultOf(OrdinalConfig.Cluster.class, "raftPort"));
        int http = 8080;
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        Container replica = container(sts.getSpec().getTemplate().getSpec());
        assertThat(replica.getPorts()).extracting(ContainerPort::getContainerPort).contains(raft, http);

        Service peers = BASE.get(Service.class, "kv-store-peers");
        assertThat(peers.getSpec().getPorts()).extracting(p -> p.getTargetPort().getIntVal()).contains(raft);

        Deployment frontend = BASE.get(Deployment.class, "kv-frontend");
        assertThat(container(frontend.getSpec().getTemplate().getSpec()).getPorts())
                .extracting(ContainerPort::getContainerPort).containsExactlyInAnyOrder(http, MANAGEMENT_PORT);
        Service kv = BASE.get(Service.class, "kv");
        assertThat(kv.getSpec().getPorts()).extracting(p -> p.getTargetPort().getIntVal()).containsExactly(http);
    }

    @Test
    void onlyReplicasAndFrontendsReachTheReplicasApiAndRaftPortsAndScrapersTheManagementPort() {
        int raft = Integer.parseInt(defaultOf(OrdinalConfig.Cluster.class, "raftPort"));
        assertNetworkPolicy(BASE, List.of(raft, 8080));
        NetworkPolicyIngressRule management = ruleFor(BASE.get(NetworkPolicy.class, "kv-store-raft"), MANAGEMENT_PORT);
        assertThat(management.getFrom()).as("the base cannot know where Prometheus runs").isNullOrEmpty();
    }

    @Test
    void probesAndScrapersUseTheManagementPort() {
        assertManagementPort(BASE);
    }

    @Test
    void podsRunUnprivilegedOnAReadOnlyRootFilesystemWithAWritableTmp() {
        for (PodSpec pod : List.of(BASE.get(StatefulSet.class, "kv-store").getSpec().getTemplate().getSpec(),
                BASE.get(Deployment.class, "kv-frontend").getSpec().getTemplate().getSpec())) {
            Container c = container(pod);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            // RocksDB unpacks its native library into /tmp.
            VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(tmp.getName()))
                    .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
        }
    }

    @Test
    void aStoppingReplicaHasTimeToHandOverOrLeaveTheGroup() {
        PodSpec pod = BASE.get(StatefulSet.class, "kv-store").getSpec().getTemplate().getSpec();
        long preStop = container(pod).getLifecycle().getPreStop().getSleep().getSeconds();
        Duration leave = Duration.parse("PT" + defaultOf(OrdinalConfig.Membership.class, "leaveTimeout").toUpperCase());
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + leave.toSeconds() + 10);
    }

    @Test
    void replicasMayReadTheirStatefulSetAndNothingElse() {
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        String account = sts.getSpec().getTemplate().getSpec().getServiceAccountName();
        RoleBinding binding = BASE.all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(account)))
                .findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        Role role = BASE.get(Role.class, binding.getRoleRef().getName());
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("apps");
            assertThat(rule.getResources()).containsExactly("statefulsets");
            assertThat(rule.getResourceNames()).containsExactly(sts.getMetadata().getName());
            assertThat(rule.getVerbs()).containsExactly("get");
        });
        assertThat(BASE.get(Deployment.class, "kv-frontend").getSpec().getTemplate().getSpec()
                .getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theFrontendIsAStatelessDeploymentOfTheSameImageBehindServiceKv() {
        StatefulSet sts = BASE.get(StatefulSet.class, "kv-store");
        Deployment frontend = BASE.get(Deployment.class, "kv-frontend");
        Container c = container(frontend.getSpec().getTemplate().getSpec());
        assertThat(frontend.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env(c, "ORDINAL_ROLE").getValue()).isEqualTo("frontend");
        assertThat(c.getImage()).isEqualTo(container(sts.getSpec().getTemplate().getSpec()).getImage());
        assertThat(frontend.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null);
        Service kv = BASE.get(Service.class, "kv");
        assertThat(Manifests.selects(kv.getSpec().getSelector(), frontend.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        assertThat(Manifests.selects(kv.getSpec().getSelector(), podLabels(sts))).as("users reach frontends only").isFalse();
    }

    @Test
    void theBaseKeepsAMajorityThroughVoluntaryDisruptions() {
        assertConsistent(BASE);
    }

    @Test
    void theDevOverlayRendersACompleteConsistentSet() {
        Manifests dev = render("dev");
        assertConsistent(dev);
        assertThat(dev.get(Deployment.class, "kv-frontend").getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void theDevOverlayRunsWithSecurityOffOnPlainHttp() {
        Manifests dev = render("dev");
        for (PodSpec pod : podSpecs(dev)) {
            Container c = container(pod);
            assertThat(c.getEnv()).noneMatch(e -> e.getName().startsWith("ORDINAL_SECURITY_"));
            assertThat(c.getPorts()).extracting(ContainerPort::getName).contains("http").doesNotContain("https");
            assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
        }
        assertThat(dev.all(GenericKubernetesResource.class)).as("no cert-manager resources").isEmpty();
        assertManagementPort(dev);
    }

    @Test
    void theProductionOverlayRunsFiveReplicasOnDistinctNodes() {
        Manifests production = render("production");
        assertConsistent(production);
        StatefulSet sts = production.get(StatefulSet.class, "kv-store");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(5);
        var antiAffinity = sts.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(Manifests.selects(term.getLabelSelector().getMatchLabels(), podLabels(sts))).isTrue();
        });
    }

    /** What every rendering must satisfy, whatever its size. */
    static void assertConsistent(Manifests m) {
        assertThat(m.unknownFields()).isEmpty();
        assertThat(Manifests.names(m.all(Service.class))).contains("kv", "kv-store-peers");
        StatefulSet sts = m.get(StatefulSet.class, "kv-store");
        int replicas = sts.getSpec().getReplicas();
        assertThat(env(container(sts.getSpec().getTemplate().getSpec()), REPLICAS_ENV).getValue())
                .isEqualTo(Integer.toString(replicas));
        Deployment frontend = m.get(Deployment.class, "kv-frontend");
        assertThat(env(container(frontend.getSpec().getTemplate().getSpec()), REPLICAS_ENV).getValue())
                .as("frontends start from the same peer list").isEqualTo(Integer.toString(replicas));

        PodDisruptionBudget pdb = m.get(PodDisruptionBudget.class, "kv-store");
        assertThat(Manifests.selects(pdb.getSpec().getSelector().getMatchLabels(), podLabels(sts))).isTrue();
        int maxUnavailable = pdb.getSpec().getMaxUnavailable().getIntVal();
        assertThat(maxUnavailable).as("a drain can make progress").isGreaterThanOrEqualTo(1);
        assertThat(replicas - maxUnavailable).as("a majority of %d stays up", replicas).isGreaterThan(replicas / 2);

        for (Service s : m.all(Service.class)) {
            boolean selectsSomething = Manifests.selects(s.getSpec().getSelector(), podLabels(sts))
                    || Manifests.selects(s.getSpec().getSelector(), frontend.getSpec().getTemplate().getMetadata().getLabels());
            assertThat(selectsSomething).as("Service %s selects pods", s.getMetadata().getName()).isTrue();
            PodSpec selected = Manifests.selects(s.getSpec().getSelector(), podLabels(sts))
                    ? sts.getSpec().getTemplate().getSpec() : frontend.getSpec().getTemplate().getSpec();
            for (ServicePort p : s.getSpec().getPorts()) {
                assertThat(containerPort(container(selected), p.getTargetPort()))
                        .as("%s port %s reaches a port of its pods", s.getMetadata().getName(), p.getName()).isPresent();
            }
        }
        for (PodSpec pod : podSpecs(m)) {
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        }
    }

    /** Probes and Prometheus's annotations name the management port, which ORDINAL_MANAGEMENT_PORT opens. */
    static void assertManagementPort(Manifests m) {
        for (var template : List.of(m.get(StatefulSet.class, "kv-store").getSpec().getTemplate(),
                m.get(Deployment.class, "kv-frontend").getSpec().getTemplate())) {
            Container c = container(template.getSpec());
            ContainerPort management = c.getPorts().stream().filter(p -> p.getName().equals("management"))
                    .findFirst().orElseThrow(() -> new AssertionError("no port named management in " + c.getName()));
            assertThat(management.getContainerPort()).isEqualTo(MANAGEMENT_PORT);
            assertThat(env(c, "ORDINAL_MANAGEMENT_PORT").getValue()).isEqualTo(Integer.toString(MANAGEMENT_PORT));
            assertProbe(c, c.getLivenessProbe(), "/q/health/live");
            assertProbe(c, c.getReadinessProbe(), "/q/health/ready");
            assertProbe(c, c.getStartupProbe(), "/q/health/started");
            assertThat(template.getMetadata().getAnnotations()).as("%s scrape annotations", c.getName())
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", Integer.toString(MANAGEMENT_PORT))
                    .containsEntry("prometheus.io/scheme", "http");
        }
    }

    /**
     * The replicas' NetworkPolicy: only replicas and frontends reach {@code restricted} (the API and
     * Raft ports), and no rule opens every port.
     */
    static void assertNetworkPolicy(Manifests m, List<Integer> restricted) {
        StatefulSet sts = m.get(StatefulSet.class, "kv-store");
        Map<String, String> frontendLabels = m.get(Deployment.class, "kv-frontend").getSpec().getTemplate().getMetadata().getLabels();
        NetworkPolicy policy = m.get(NetworkPolicy.class, "kv-store-raft");
        assertThat(Manifests.selects(policy.getSpec().getPodSelector().getMatchLabels(), podLabels(sts))).isTrue();
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        assertThat(policy.getSpec().getIngress()).as("a rule without ports opens them all")
                .allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty());
        Set<Integer> containerPorts = Set.copyOf(container(sts.getSpec().getTemplate().getSpec()).getPorts().stream()
                .map(ContainerPort::getContainerPort).toList());
        for (int port : restricted) {
            assertThat(containerPorts).as("replicas listen on %d", port).contains(port);
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                if (rule.getPorts().stream().noneMatch(p -> p.getPort().getIntVal() == port)) {
                    continue;
                }
                assertThat(rule.getFrom()).as("only replicas and frontends reach port %d", port).isNotEmpty()
                        .allSatisfy(peer -> {
                            assertThat(peer.getNamespaceSelector()).isNull();
                            assertThat(peer.getIpBlock()).isNull();
                            assertThat(peer.getPodSelector().getMatchLabels()).satisfiesAnyOf(
                                    l -> assertThat(Manifests.selects(l, podLabels(sts))).isTrue(),
                                    l -> assertThat(Manifests.selects(l, frontendLabels)).isTrue());
                        });
            }
            ruleFor(policy, port);
        }
    }

    static NetworkPolicyIngressRule ruleFor(NetworkPolicy policy, int port) {
        return policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
                .findFirst().orElseThrow(() -> new AssertionError("no ingress rule for port " + port));
    }

    static List<PodSpec> podSpecs(Manifests m) {
        return List.of(m.get(StatefulSet.class, "kv-store").getSpec().getTemplate().getSpec(),
                m.get(Deployment.class, "kv-frontend").getSpec().getTemplate().getSpec());
    }

    /** The container's port that a probe or a Service names, by number or by name. */
    static Optional<ContainerPort> containerPort(Container c, IntOrString port) {
        return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                : port.getIntVal().equals(p.getContainerPort())).findFirst();
    }

    static Manifests render(String overlay) {
        Optional<Manifests> rendered = Manifests.kustomize(K8S.resolve("overlays").resolve(overlay));
        assumeTrue(rendered.isPresent(), "kubectl is not installed: the overlays cannot be rendered here");
        return rendered.get();
    }

    private static void assertProbe(Container c, Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getScheme()).isIn(null, "HTTP");
        assertThat(containerPort(c, probe.getHttpGet().getPort())).as("%s probe %s", c.getName(), path)
                .hasValueSatisfying(p -> assertThat(p.getName()).isEqualTo("management"));
    }

    static Map<String, String> podLabels(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getLabels();
    }

    static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + c.getName()));
    }

    /** The {@code @WithDefault} of a configuration property, so the manifests and the code cannot drift. */
    static String defaultOf(Class<?> mapping, String method) {
        try {
            return mapping.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
