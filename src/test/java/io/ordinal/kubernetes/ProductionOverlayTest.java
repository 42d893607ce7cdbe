package io.ordinal.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ordinal.config.OrdinalConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.ordinal.kubernetes.ManifestsTest.MANAGEMENT_PORT;
import static io.ordinal.kubernetes.ManifestsTest.container;
import static io.ordinal.kubernetes.ManifestsTest.containerPort;
import static io.ordinal.kubernetes.ManifestsTest.env;
import static io.ordinal.kubernetes.ManifestsTest.podLabels;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production overlay as {@code kubectl kustomize} renders it, with security on (security-v1.md):
 * cert-manager's CA and certificates, the Secrets mounted read-only where the settings point, HTTPS
 * only, the NetworkPolicy and the frontends' PodDisruptionBudget.
 */
class ProductionOverlayTest {

    private static final String NAMESPACE = "ordinal";
    private static final int HTTPS = 8443;
    /** The fields of a cert-manager Certificate's spec that the overlay may use; a misspelt one is not. */
    private static final Set<String> CERTIFICATE_FIELDS = Set.of("secretName", "commonName", "dnsNames", "ipAddresses",
            "usages", "privateKey", "issuerRef", "isCA", "duration", "renewBefore");

    private static Manifests production;

    @BeforeAll
    static void render() {
        production = ManifestsTest.render("production");
    }

    @Test
    void everyResourceIsInTheNamespaceTheCertificatesName() {
        assertThat(production.all()).allSatisfy(r -> assertThat(r.getMetadata().getNamespace())
                .as("%s/%s", r.getKind(), r.getMetadata().getName()).isEqualTo(NAMESPACE));
    }

    @Test
    void aSelfSignedIssuerBootstrapsTheClusterCaWhoseIssuerSignsEveryPodsCertificate() {
        GenericKubernetesResource selfSigned = production.generic("Issuer", "kv-selfsigned");
        assertThat(selfSigned.<Object>get("spec", "selfSigned")).isNotNull();

        GenericKubernetesResource ca = production.generic("Certificate", "kv-ca");
        assertThat(ca.<Boolean>get("spec", "isCA")).isTrue();
        assertIssuedBy(ca, "kv-selfsigned");
        assertThat(ca.<String>get("spec", "privateKey", "rotationPolicy"))
                .as("a renewed CA keeps its key: what it signed still verifies").isEqualTo("Never");

        GenericKubernetesResource caIssuer = production.generic("Issuer", "kv-ca");
        assertThat(caIssuer.<String>get("spec", "ca", "secretName")).isEqualTo(ca.<String>get("spec", "secretName"));

        for (String name : List.of("kv-ca", "kv-store-tls", "kv-frontend-tls")) {
            GenericKubernetesResource cert = production.generic("Certificate", name);
            assertThat(cert.<Map<String, Object>>get("spec").keySet()).as(name).isSubsetOf(CERTIFICATE_FIELDS);
            // Netty, under Ratis's gRPC, reads PKCS#8 keys only; the cluster's own CA makes EC P-256 keys.
            assertThat(cert.<String>get("spec", "privateKey", "encoding")).as(name).isEqualTo("PKCS8");
            assertThat(cert.<String>get("spec", "privateKey", "algorithm")).as(name).isEqualTo("ECDSA");
            if (!name.equals("kv-ca")) {
                assertIssuedBy(cert, "kv-ca");
                assertThat(cert.<List<String>>get("spec", "usages")).as("%s: replicas and frontends are Raft"
                        + " clients with mutual TLS as well as servers", name).contains("server auth", "client auth");
                assertThat(cert.<List<String>>get("spec", "ipAddresses")).as(name).contains("127.0.0.1");
            }
        }
    }

    @Test
    void theReplicasCertificateNamesEveryReplicaAsItsPeersDialIt() {
        int replicas = production.get(StatefulSet.class, "kv-store").getSpec().getReplicas();
        List<String> names = production.generic("Certificate", "kv-store-tls").get("spec", "dnsNames");
        String peerHost = ManifestsTest.defaultOf(OrdinalConfig.Cluster.class, "peerHost")
                .replace("{namespace}", NAMESPACE);
        assertThat(names).containsAll(IntStream.range(0, replicas).mapToObj(i -> peerHost.replace("{pod}", "kv-store-" + i))
                .toList());
        assertThat(names).contains("*.kv-store-peers." + NAMESPACE + ".svc.cluster.local",
                "*.kv-store-peers." + NAMESPACE + ".svc", "localhost");
    }

    @Test
    void theFrontendsCertificateNamesTheServiceClientsUse() {
        Service kv = production.get(Service.class, "kv");
        String name = kv.getMetadata().getName();
        assertThat(production.generic("Certificate", "kv-frontend-tls").<List<String>>get("spec", "dnsNames"))
                .contains(name, name + "." + NAMESPACE, name + "." + NAMESPACE + ".svc",
                        name + "." + NAMESPACE + ".svc.cluster.local", "localhost");
    }

    @Test
    void bothTiersRunWithSecurityOnReadingTheirSecretsFromReadOnlyMounts() {
        assertSecure(production.get(StatefulSet.class, "kv-store").getSpec().getTemplate().getSpec(), "kv-store-tls");
        assertSecure(production.get(Deployment.class, "kv-frontend").getSpec().getTemplate().getSpec(), "kv-frontend-tls");
    }

    @Test
    void theApiIsServedOverHttpsOnlyAndTheDashboardAsksReplicasOverHttps() {
        for (PodSpec pod : ManifestsTest.podSpecs(production)) {
            Container c = container(pod);
            assertThat(c.getPorts()).extracting(ContainerPort::getName).doesNotContain("http").contains("https");
            assertThat(env(c, "QUARKUS_HTTP_SSL_PORT").getValue()).isEqualTo(Integer.toString(HTTPS));
            assertThat(env(c, "ORDINAL_DASHBOARD_REPLICA_HTTP_PORT").getValue()).isEqualTo(Integer.toString(HTTPS));
        }
        for (Service s : production.all(Service.class)) {
            assertThat(s.getSpec().getPorts()).as(s.getMetadata().getName()).extracting(ServicePort::getName)
                    .doesNotContain("http");
        }
        assertThat(production.get(Service.class, "kv").getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(HTTPS);
        });
        ManifestsTest.assertManagementPort(production);
    }

    @Test
    void onlyFrontendsAndReplicasReachTheReplicasApiAndRaftPortsAndPrometheusItsManagementPort() {
        int raft = Integer.parseInt(ManifestsTest.defaultOf(OrdinalConfig.Cluster.class, "raftPort"));
        ManifestsTest.assertNetworkPolicy(production, List.of(raft, HTTPS));
        NetworkPolicy policy = production.get(NetworkPolicy.class, "kv-store-raft");
        assertThat(ManifestsTest.ruleFor(policy, MANAGEMENT_PORT).getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector()).isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
        });
    }

    @Test
    void drainsTakeOneFrontendAtATime() {
        Deployment frontend = production.get(Deployment.class, "kv-frontend");
        PodDisruptionBudget pdb = production.get(PodDisruptionBudget.class, "kv-frontend");
        assertThat(Manifests.selects(pdb.getSpec().getSelector().getMatchLabels(),
                frontend.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        assertThat(Manifests.selects(pdb.getSpec().getSelector().getMatchLabels(),
                podLabels(production.get(StatefulSet.class, "kv-store")))).isFalse();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(frontend.getSpec().getReplicas() - 1).as("frontends left serving during a drain").isGreaterThanOrEqualTo(2);
    }

    /**
     * Security on; the TLS directory is the read-only mount of the tier's certificate Secret, the root
     * token file the key {@code token} of the read-only mount of {@code kv-root-token}.
     */
    private static void assertSecure(PodSpec pod, String certificateSecret) {
        Container c = container(pod);
        assertThat(env(c, "ORDINAL_SECURITY_ENABLED").getValue()).isEqualTo("true");
        assertThat(production.all(GenericKubernetesResource.class)).as("cert-manager writes the Secret %s", certificateSecret)
                .anyMatch(r -> r.getKind().equals("Certificate") && certificateSecret.equals(r.get("spec", "secretName")));

        VolumeMount tls = readOnlySecretMount(pod, certificateSecret);
        assertThat(env(c, "ORDINAL_SECURITY_TLS_DIR").getValue()).isEqualTo(tls.getMountPath());

        VolumeMount rootToken = readOnlySecretMount(pod, "kv-root-token");
        Volume tokenVolume = volume(pod, rootToken.getName());
        assertThat(tokenVolume.getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("token");
            assertThat(env(c, "ORDINAL_SECURITY_ROOT_TOKEN_FILE").getValue())
                    .isEqualTo(rootToken.getMountPath() + "/" + item.getPath());
        });
        assertThat(pod.getSecurityContext().getFsGroup()).as("the group may read the Secrets' files")
                .isEqualTo(pod.getSecurityContext().getRunAsGroup());
        assertThat(c.getVolumeMounts()).filteredOn(m -> pod.getVolumes().stream()
                        .anyMatch(v -> v.getName().equals(m.getName()) && v.getSecret() != null))
                .hasSize(2).allSatisfy(m -> assertThat(m.getReadOnly()).as(m.getName()).isTrue());
        assertThat(containerPort(c, new IntOrString(HTTPS))).isPresent();
    }

    private static VolumeMount readOnlySecretMount(PodSpec pod, String secret) {
        Container c = container(pod);
        VolumeMount mount = c.getVolumeMounts().stream()
                .filter(m -> {
                    Volume v = volume(pod, m.getName());
                    return v.getSecret() != null && secret.equals(v.getSecret().getSecretName());
                })
                .findFirst().orElseThrow(() -> new AssertionError("no mount of the Secret " + secret + " in " + c.getName()));
        assertThat(mount.getReadOnly()).as(secret).isTrue();
        assertThat(mount.getSubPath()).as("%s: a subPath mount never sees a renewed Secret", secret).isNull();
        // 0440: the owner and the pod's group, no one else.
        assertThat(volume(pod, mount.getName()).getSecret().getDefaultMode()).isEqualTo(0440);
        return mount;
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static void assertIssuedBy(GenericKubernetesResource cert, String issuer) {
        assertThat(cert.<String>get("spec", "issuerRef", "name")).as(cert.getMetadata().getName()).isEqualTo(issuer);
        assertThat(cert.<String>get("spec", "issuerRef", "kind")).isEqualTo("Issuer");
        production.generic("Issuer", issuer); // exists
    }
}
