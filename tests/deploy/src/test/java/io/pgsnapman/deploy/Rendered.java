package io.pgsnapman.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Files of {@code deploy/k8s/base} that are rendered from the code rather than written by hand: how they are written
 * (YAML, a header naming the test that renders them) and the check that the committed copy is the rendering.
 */
final class Rendered {

    static final Path DEPLOY = Path.of(System.getProperty("pgsnapman.deploy.dir", "../../deploy"));

    private Rendered() {}

    static String yaml(Class<?> renderer, List<Map<String, Object>> resources) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        Yaml yaml = new Yaml(options);
        return "# Rendered from the code by tests/deploy (" + renderer.getSimpleName() + "): do not edit; change the source.\n"
                + resources.stream().map(yaml::dump).collect(Collectors.joining("---\n"));
    }

    /** Fails unless {@code deploy/k8s/base/<dir>/<file>} is the rendering, which is left in target/rendered to copy. */
    static void assertMatchesCommitted(String dir, String file, String rendered) throws Exception {
        Path out = Path.of("target", "rendered", dir, file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, rendered);
        Path committed = DEPLOY.resolve("k8s/base").resolve(dir).resolve(file);
        assertThat(Files.exists(committed) ? Files.readString(committed) : "")
                .as("deploy/k8s/base/%s/%s differs from what the code renders; copy tests/deploy/%s over it", dir, file, out)
                .isEqualTo(rendered);
    }
}
