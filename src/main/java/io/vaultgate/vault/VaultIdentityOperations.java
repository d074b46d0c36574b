package io.vaultgate.vault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.micronaut.context.annotation.Requires;
import io.vaultgate.identity.DeploymentIdentity;
import io.vaultgate.identity.IdentityOperations;
import io.vaultgate.identity.IssuedToken;
import io.vaultgate.identity.TokenRequest;
import io.vaultgate.values.ValueStoreException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Vault as the token authority: deployments as entity aliases on the token auth method
 * ({@code identity/entity-alias}), tokens from token roles ({@code auth/token/create/<role>}),
 * revocation by accessor. Every call is made with the gateway's own token, which the
 * {@code vaultgate-gateway} policy allows exactly these paths.
 *
 * <p>An alias's custom metadata carries the deployment's slugs and the path prefix; the static
 * {@code vaultgate-workload} policy is templated on them, so Vault itself decides which entries
 * a token bound to the alias reads. Creating an alias that exists updates its metadata, which
 * is how a deployment follows its environment's type. The alias is created without a
 * {@code canonical_id}: Vault starts a new entity for it, with no policies and no groups.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultIdentityOperations implements IdentityOperations {

    /** Role names end up in a URL path: keep them to characters that need no escaping. */
    private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,400}");

    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,1000}");
    private static final String ALIAS_PATH = "identity/entity-alias";
    private static final String AUTH_METHODS_PATH = "sys/auth";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter CREATE = JSON.writerFor(CreateBody.class);
    private static final ObjectReader CREATED = JSON.readerFor(Created.class);

    private final VaultCalls calls;
    private final KvLayout layout;
    private final Clock clock;
    private volatile String tokenAuthAccessor;

    VaultIdentityOperations(VaultCalls calls, VaultProperties vault, Clock clock) {
        this.calls = calls;
        this.layout = new KvLayout(vault);
        this.clock = clock;
    }

    @Override
    public void bindDeployment(DeploymentIdentity deployment) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("prefix", layout.pathPrefix());
        metadata.put("project", deployment.project());
        metadata.put("environment", deployment.environment());
        metadata.put("environment_type", deployment.environmentType());
        metadata.put("service", deployment.service());
        putAlias(aliasName(deployment), metadata);
    }

    @Override
    public void retireDeployment(DeploymentIdentity deployment) {
        // Without its slugs, every templated path of vaultgate-workload is left out for the alias.
        putAlias(aliasName(deployment), Map.of("retired", "true"));
    }

    /**
     * {@code vaultgate-deployment.<mount>.<path prefix>.<project>.<environment>.<service>}, lower case,
     * a '/' of the mount as '.': the name space the vaultgate-workload role and the gateway policy
     * allow ({@code vaultgate-deployment.<mount>.*}). Slugs hold no '.', so a name is one deployment
     * of one path prefix.
     */
    String aliasName(DeploymentIdentity deployment) {
        return aliasName(layout.mount(), layout.pathPrefix(), deployment);
    }

    static String aliasName(String mount, String pathPrefix, DeploymentIdentity deployment) {
        return ("vaultgate-deployment." + mount.replace('/', '.') + "." + pathPrefix + "." + deployment.project() + "."
                        + deployment.environment() + "." + deployment.service())
                .toLowerCase(Locale.ROOT);
    }

    private void putAlias(String name, Map<String, String> customMetadata) {
        AliasBody body = new AliasBody(requireAlias(name), tokenAuthAccessor(), customMetadata);
        calls.write(ALIAS_PATH, rest -> rest.postForObject(ALIAS_PATH, body, Map.class));
    }

    /** The token auth method's accessor, which entity aliases of workload tokens name; read once. */
    private String tokenAuthAccessor() {
        String known = tokenAuthAccessor;
        if (known != null) {
            return known;
        }
        Map<?, ?> methods = calls.read(AUTH_METHODS_PATH, rest -> rest.getForObject(AUTH_METHODS_PATH, Map.class));
        Map<?, ?> listed =
                methods != null && methods.get("data") instanceof Map<?, ?> data && !data.isEmpty() ? data : methods;
        for (Object method : listed == null ? List.of() : listed.values()) {
            if (method instanceof Map<?, ?> m
                    && "token".equals(m.get("type"))
                    && m.get("accessor") instanceof String a) {
                tokenAuthAccessor = a;
                return a;
            }
        }
        throw new ValueStoreException("vault lists no token auth method in " + AUTH_METHODS_PATH);
    }

    @Override
    public IssuedToken createToken(String role, TokenRequest request) {
        String path = "auth/token/create/" + requireRole(role);
        CreateBody body = new CreateBody(
                List.copyOf(new TreeSet<>(request.policies())),
                request.metadata(),
                request.ttl().toSeconds() + "s",
                request.numUses(),
                request.displayName(),
                request.boundTo() == null ? null : requireAlias(aliasName(request.boundTo())));
        byte[] json = writeCreate(body);
        Created created = calls.write(
                path,
                rest -> rest.execute(
                        path,
                        HttpMethod.POST,
                        sent -> {
                            sent.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                            sent.getBody().write(json);
                        },
                        response -> CREATED.readValue(response.getBody())));
        Created.Auth auth = created == null ? null : created.auth();
        String t = auth == null ? null : auth.clientToken();
        String a = auth == null ? null : auth.accessor();
        if (t == null || t.isEmpty() || a == null || a.isEmpty()) {
            throw new ValueStoreException("vault answered no token for " + path);
        }
        if (!Set.copyOf(auth.tokenPolicies()).equals(request.policies())
                || !auth.identityPolicies().isEmpty()) {
            // An alias of the gateway's namespace bound by hand to an entity that holds policies (or
            // sits in a group that does) would give the token those policies too: never hand it out.
            revokeAccessor(a);
            throw new ValueStoreException("vault granted " + path + " policies beyond " + request.policies()
                    + "; the token was revoked. An entity alias named " + aliasName(request.boundTo())
                    + " must be left to the gateway (vault-config/README.md)");
        }
        long granted = auth.leaseDuration();
        if (granted < request.ttl().toSeconds()) {
            // A role's token_explicit_max_ttl (or the mount's max) below what the gateway allows:
            // never hand out a token shorter than the caller asked for without saying so.
            revokeAccessor(a);
            throw new ValueStoreException(
                    "vault granted a ttl of " + granted + "s instead of "
                            + request.ttl().toSeconds() + "s on " + path
                            + "; raise the role's token_explicit_max_ttl (vault-config/apply.sh) or lower the gateway's max ttl");
        }
        return new IssuedToken(t, a, clock.instant().plus(Duration.ofSeconds(granted)), request.numUses());
    }

    @Override
    public boolean revokeAccessor(String accessor) {
        String path = "auth/token/revoke-accessor";
        AccessorBody body = new AccessorBody(accessor);
        return calls.write(path, rest -> {
            try {
                Map<?, ?> answer = rest.postForObject(path, body, Map.class);
                // 204 for a revoked token; 200 with a warning "No token found with this accessor".
                return answer == null || !(answer.get("warnings") instanceof List<?> warnings) || warnings.isEmpty();
            } catch (HttpClientErrorException.BadRequest unknown) {
                return false;
            }
        });
    }

    private static String requireRole(String name) {
        if (name == null || !ROLE.matcher(name).matches()) {
            throw new IllegalArgumentException("not a usable token role name: " + name);
        }
        return name;
    }

    private static String requireAlias(String name) {
        if (name == null || !ALIAS.matcher(name).matches()) {
            throw new IllegalArgumentException("not a usable entity alias name: " + name);
        }
        return name;
    }

    /** An entity-alias body: no {@code canonical_id}, so Vault starts a new entity for a new alias. */
    record AliasBody(
            String name,
            @JsonProperty("mount_accessor") String mountAccessor,
            @JsonProperty("custom_metadata") Map<String, String> customMetadata) {}

    /** A token-create body; {@code meta} holds identity only, never a secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreateBody(
            List<String> policies,
            Map<String, String> meta,
            String ttl,
            @JsonProperty("num_uses") int numUses,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("entity_alias") String entityAlias) {}

    record AccessorBody(String accessor) {}

    /**
     * The fields of Vault's answer to a token create that the gateway reads. Read and written by
     * readers and writers made once: through the template's message converters every mint paid for
     * content negotiation and Jackson type resolution, a tenth of a mint's CPU in the gateway.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Created(Auth auth) {

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Auth(
                @JsonProperty("client_token") String clientToken,
                String accessor,
                @JsonProperty("token_policies") List<String> tokenPolicies,
                @JsonProperty("identity_policies") List<String> identityPolicies,
                @JsonProperty("lease_duration") long leaseDuration) {

            Auth {
                tokenPolicies = tokenPolicies == null ? List.of() : tokenPolicies;
                identityPolicies = identityPolicies == null ? List.of() : identityPolicies;
            }

            @Override
            public String toString() {
                return "Auth[clientToken=redacted, accessor=" + accessor + "]";
            }
        }
    }

    private static byte[] writeCreate(CreateBody body) {
        try {
            return CREATE.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a token create body that Jackson cannot write", e);
        }
    }
}
