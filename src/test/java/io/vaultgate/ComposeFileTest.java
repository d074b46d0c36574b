package io.vaultgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the Compose specification cannot say about {@code docker-compose.yml} (scripts/test.sh
 * checks it against that schema): that it is the production shape the README describes, not a
 * try-out. No Docker engine runs it in CI, so this is where a regression shows.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private final Map<String, Object> compose = load(ROOT.resolve("docker-compose.yml"));
    private final Map<String, Map<String, Object>> services = maps(compose.get("services"));

    @Test
    void noServiceRunsAnythingInDevMode() {
        services.forEach((name, service) -> {
            assertThat(words(service)).as(name).noneMatch(w -> w.equals("-dev") || w.startsWith("-dev-"));
            assertThat(environment(service).keySet()).as(name).noneMatch(k -> k.contains("DEV_ROOT_TOKEN"));
        });
        assertThat(environment(services.get("gateway-1"))).containsEntry("MICRONAUT_ENVIRONMENTS", "production");
    }

    @Test
    void vaultRunsTheProjectsServerConfigurationWithItsRaftDataOnANamedVolume() {
        assertThat(services).containsKey("vault");
        Map<String, Object> vault = services.get("vault");
        String command = String.join(" ", words(vault));
        assertThat(command).contains("/vault/config/render-server.sh").contains("bao server -config=");
        assertThat(bindMounts(vault))
                .containsEntry("./vault-config", "/vault/config")
                .containsEntry("./tls", "/vault/tls");
        // render-server.sh NODE_ID API_HOST API_PORT CLUSTER_PORT DATA_DIR TLS_DIR CERT_NAME AUDIT_FILE
        Matcher render = Pattern.compile("render-server\\.sh\\s+(\\S+\\s+){4}(\\S+)\\s+\\S+\\s+\\S+\\s+(\\S+)")
                .matcher(command);
        assertThat(render.find()).as(command).isTrue();
        String dataDir = render.group(2);
        String auditFile = render.group(3);
        assertThat(namedVolumeTargets(vault).values())
                .as("the Raft data path and the audit log survive a restart")
                .contains(dataDir)
                .anyMatch(auditFile::startsWith);
    }

    @Test
    void aOneShotInitServiceUnsealsAndHandsTheGatewaysTheirTokenInAVolumeOfItsOwn() {
        assertThat(services).containsKey("vault-init");
        Map<String, Object> init = services.get("vault-init");
        assertThat(String.join(" ", words(init))).contains("scripts/vault-init.sh /vault/keys");
        assertThat(init.get("restart")).isEqualTo("no");
        assertThat(namedVolumeTargets(init)).containsEntry("vault-keys", "/vault/keys");
        for (String gateway : gateways()) {
            Map<String, Object> service = services.get(gateway);
            assertThat(maps(service.get("depends_on")).get("vault-init"))
                    .containsEntry("condition", "service_completed_successfully");
            assertThat(namedVolumeTargets(service))
                    .as("the Shamir keys and the root token are nobody else's")
                    .doesNotContainKey("vault-keys")
                    .containsKey("gateway-token");
            assertThat(environment(service))
                    .containsEntry("VAULTGATE_VAULT_TOKEN_FILE", "/run/vaultgate/token")
                    .doesNotContainKey("VAULT_TOKEN");
        }
    }

    @Test
    void mysqlKeepsItsDataOnANamedVolumeAndRequiresTls() {
        Map<String, Object> mysql = services.get("mysql");
        assertThat(mysql.get("image")).isEqualTo("mysql:8.4");
        assertThat(namedVolumeTargets(mysql)).containsValue("/var/lib/mysql");
        assertThat(String.join(" ", words(mysql))).contains("--require-secure-transport=ON");
        for (String gateway : gateways()) {
            assertThat(environment(services.get(gateway)).get("VAULTGATE_DB_URL"))
                    .contains("sslMode=VERIFY_CA")
                    .contains("trustCertificateKeyStoreUrl=");
        }
    }

    @Test
    void twoGatewaysTrustVaultsCaServeHttpsAndRunWithTheReadmesJvmOptions() throws IOException {
        List<String> gateways = gateways();
        assertThat(gateways).hasSizeGreaterThanOrEqualTo(2);
        List<String> readmeOptions = readmeJvmOptions();
        assertThat(readmeOptions).contains("-Xmx192m", "-XX:+UseSerialGC");
        for (String name : gateways) {
            Map<String, String> env = environment(services.get(name));
            assertThat(env.get("VAULT_ADDR")).startsWith("https://");
            assertThat(env).containsKey("VAULT_CACERT");
            assertThat(env).containsEntry("VAULTGATE_TLS_ENABLED", "true");
            assertThat(List.of(env.get("JAVA_OPTS").trim().split("\\s+"))).isEqualTo(readmeOptions);
        }
    }

    @Test
    void aLoadBalancerFromAnOfficialImageHealthChecksEveryGatewayOnReadiness() throws IOException {
        assertThat(services).containsKey("lb");
        Map<String, Object> lb = services.get("lb");
        assertThat(String.valueOf(lb.get("image"))).matches("(haproxy:2\\.9.*|nginx.*)");
        String configFile = bindMounts(lb).keySet().stream()
                .filter(source -> source.startsWith("./deploy/"))
                .findFirst()
                .orElseThrow();
        String config = Files.readString(ROOT.resolve(configFile));
        assertThat(config).contains("option httpchk GET /health/readiness").contains("ssl verify required ca-file");
        for (String gateway : gateways()) {
            assertThat(config).containsPattern("server\\s+" + gateway + "\\s+" + gateway + ":8443");
        }
    }

    /** The services that run the gateway's jar. */
    private List<String> gateways() {
        List<String> gateways = new ArrayList<>();
        services.forEach((name, service) -> {
            if (String.join(" ", words(service)).contains("vaultgate-0.1.0-SNAPSHOT.jar")) {
                gateways.add(name);
            }
        });
        return gateways;
    }

    /** The options of README's production start command, in order. */
    private static List<String> readmeJvmOptions() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher start = Pattern.compile("\njava ((?:[^\\n]|\\\\\\n)*?) -jar ").matcher(readme);
        assertThat(start.find()).as("README's production start command").isTrue();
        return List.of(start.group(1).replace("\\\n", " ").trim().split("\\s+"));
    }

    private static List<String> words(Map<String, Object> service) {
        List<String> words = new ArrayList<>();
        for (String key : List.of("entrypoint", "command")) {
            Object value = service.get(key);
            if (value instanceof List<?> list) {
                list.forEach(v -> words.addAll(List.of(String.valueOf(v).trim().split("\\s+"))));
            } else if (value != null) {
                words.addAll(List.of(String.valueOf(value).trim().split("\\s+")));
            }
        }
        return words;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service.get("environment") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        }
        return env;
    }

    /** Named volume → where it is mounted. */
    private static Map<String, String> namedVolumeTargets(Map<String, Object> service) {
        Map<String, String> named = new LinkedHashMap<>();
        mounts(service).forEach((source, target) -> {
            if (!source.startsWith(".") && !source.startsWith("/")) {
                named.put(source, target);
            }
        });
        return named;
    }

    /** Host path → where it is mounted. */
    private static Map<String, String> bindMounts(Map<String, Object> service) {
        Map<String, String> binds = new LinkedHashMap<>();
        mounts(service).forEach((source, target) -> {
            if (source.startsWith(".") || source.startsWith("/")) {
                binds.put(source, target);
            }
        });
        return binds;
    }

    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        if (service.get("volumes") instanceof List<?> list) {
            for (Object volume : list) {
                String[] parts = String.valueOf(volume).split(":");
                mounts.put(parts[0], parts[1]);
            }
        }
        return mounts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> maps(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Map<String, Object>>) value;
    }

    private static Map<String, Object> load(Path file) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return new Yaml(options).load(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
