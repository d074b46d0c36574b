package io.vaultgate.vault;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Vault as the token authority: ACL policies under {@code sys/policies/acl/}, tokens from token
 * roles ({@code auth/token/create/<role>}), revocation by accessor. Every call is made with the
 * gateway's own token, which the {@code vaultgate-gateway} policy allows exactly these paths.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class VaultIdentityOperations implements IdentityOperations {

    /** Policy and role names end up in a URL path: keep them to characters that need no escaping. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,400}");

    private final VaultCalls calls;
    private final KvLayout layout;
    private final Clock clock;

    VaultIdentityOperations(VaultCalls calls, VaultProperties vault, Clock clock) {
        this.calls = calls;
        this.layout = new KvLayout(vault);
        this.clock = clock;
    }

    @Override
    public void putReadPolicy(String name, Collection<EntryPath> entries) {
        String path = "sys/policies/acl/" + requireName(name);
        PolicyBody body = new PolicyBody(readPolicy(name, entries.stream().map(layout::dataPath).toList()));
        calls.write(path, rest -> {
            rest.put(path, body);
            return null;
        });
    }

    /** The HCL of a policy that reads exactly these data paths; sorted so a rewrite is byte-identical. */
    static String readPolicy(String name, List<String> dataPaths) {
        StringBuilder hcl = new StringBuilder("# ").append(name)
                .append(": written by Vaultgate. Read on the deployment's scope entries, nothing else.\n");
        for (String dataPath : new TreeSet<>(dataPaths)) {
            hcl.append("path \"").append(dataPath).append("\" {\n  capabilities = [\"read\"]\n}\n");
        }
        return hcl.toString();
    }

    @Override
    public void deletePolicy(String name) {
        String path = "sys/policies/acl/" + requireName(name);
        calls.write(path, rest -> {
            try {
                rest.delete(path);
            } catch (HttpClientErrorException.NotFound absent) {
                // already gone
            }
            return null;
        });
    }

    @Override
    public IssuedToken createToken(String role, TokenRequest request) {
        String path = "auth/token/create/" + requireName(role);
        CreateBody body = new CreateBody(List.copyOf(new TreeSet<>(request.policies())), request.metadata(),
                request.ttl().toSeconds() + "s", request.numUses(), request.displayName());
        Map<?, ?> answer = calls.write(path, rest -> rest.postForObject(path, body, Map.class));
        Map<?, ?> auth = VaultSecretValueStore.child(answer, "auth");
        Object token = auth.get("client_token");
        Object accessor = auth.get("accessor");
        if (!(token instanceof String t) || t.isEmpty() || !(accessor instanceof String a) || a.isEmpty()) {
            throw new ValueStoreException("vault answered no token for " + path);
        }
        long granted = VaultSecretValueStore.asInt(auth.get("lease_duration"));
        if (granted < request.ttl().toSeconds()) {
            // A role's token_explicit_max_ttl (or the mount's max) below what the gateway allows:
            // never hand out a token shorter than the caller asked for without saying so.
            revokeAccessor(a);
            throw new ValueStoreException("vault granted a ttl of " + granted + "s instead of "
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

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a usable policy or role name: " + name);
        }
        return name;
    }

    record PolicyBody(String policy) {
    }

    /** A token-create body; {@code meta} holds identity only, never a secret. */
    record CreateBody(List<String> policies, Map<String, String> meta, String ttl,
                      @com.fasterxml.jackson.annotation.JsonProperty("num_uses") int numUses,
                      @com.fasterxml.jackson.annotation.JsonProperty("display_name") String displayName) {
    }

    record AccessorBody(String accessor) {
    }
}
