package io.ordinal.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The container image and the manifests agree: user, ports, the image name, the files it runs. */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @Test
    void theImageRunsAsTheManifestsUserExposesTheirPortsAndIsTheImageTheyName() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        StatefulSet sts = Manifests.read(Path.of("k8s/base/kubernetes.yml")).get(StatefulSet.class, "kv-store");
        long uid = sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        assertThat(dockerfile).containsPattern("(?m)^USER " + uid + "$");
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE 8080 8443 9000 9870$");
        // Every port a pod of the manifests listens on.
        Manifests base = Manifests.read(Path.of("k8s/base/kubernetes.yml"));
        for (var template : List.of(sts.getSpec().getTemplate(),
                base.get(Deployment.class, "kv-frontend").getSpec().getTemplate())) {
            for (ContainerPort port : template.getSpec().getContainers().get(0).getPorts()) {
                assertThat(dockerfile).containsPattern("(?m)^EXPOSE .*\\b" + port.getContainerPort() + "\\b");
            }
        }
        String image = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(dockerfile).as("the build command in the Dockerfile tags the image the manifests use")
                .contains("-t " + image + " ");
        assertThat(dockerfile).contains("target/quarkus-app/").contains("quarkus-run.jar");
    }
}
