package io.vaultgate.devmode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.vaultgate.access.CallerToken;
import io.vaultgate.access.LookupAdmission;
import io.vaultgate.access.LookupThrottledException;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.access.TokenIntrospection;
import io.vaultgate.delivery.CallerReads;
import io.vaultgate.delivery.CallerTokenRefusedException;
import io.vaultgate.identity.DeploymentIdentity;
import io.vaultgate.identity.IdentityOperations;
import io.vaultgate.identity.IssuedToken;
import io.vaultgate.identity.TokenRequest;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Dev mode's token authority, standing in for Vault with the same behaviour: deployment
 * identities that list the entries a token bound to them may read, tokens minted with policies,
 * metadata, a ttl, a use count and an identity, revocation by accessor, and reads of current
 * versions made "as the caller" that check the token, its identity and its uses exactly as Vault
 * would. Tokens are random 256-bit values kept only as SHA-256 hashes
 * (in the dev H2 database); the printed admin token is {@link DevAdminToken}'s.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "dev")
class LocalTokenAuthority implements TokenIntrospection, IdentityOperations, CallerReads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final DevAdminToken admin;
    private final Tokens tokens;
    private final Policies policies;
    private final SecretValueStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    LocalTokenAuthority(DevAdminToken admin, Tokens tokens, Policies policies, SecretValueStore store, Clock clock) {
        this.admin = admin;
        this.tokens = tokens;
        this.policies = policies;
        this.store = store;
        this.clock = clock;
    }

    // --- TokenIntrospection ---------------------------------------------------------------------

    @Override
    public Optional<TokenInfo> lookup(String token, LookupAdmission admission) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Optional<TokenInfo> asAdmin = admin.lookup(token);
        if (asAdmin.isPresent()) {
            return asAdmin;
        }
        if (!admission.admit(token)) {
            throw new LookupThrottledException();
        }
        return live(token).map(this::info);
    }

    private Optional<LocalToken> live(String token) {
        Instant now = clock.instant();
        return tokens.findById(sha256(token))
                .filter(t -> !t.revoked() && now.isBefore(t.expiresAt()) && (t.usesLeft() == null || t.usesLeft() > 0));
    }

    private TokenInfo info(LocalToken token) {
        return new TokenInfo(
                token.accessor(),
                token.displayName(),
                Set.of(token.policies().split(",")),
                readMap(token.metadata()),
                token.expiresAt(),
                token.usesLeft() == null ? 0 : token.usesLeft());
    }

    // --- IdentityOperations ---------------------------------------------------------------------

    @Override
    public void bindDeployment(DeploymentIdentity deployment) {
        putIdentity(nameOf(deployment), deployment.entries());
    }

    @Override
    public void retireDeployment(DeploymentIdentity deployment) {
        putIdentity(nameOf(deployment), List.of());
    }

    /** How the local authority names a deployment's identity (its row in local_policy). */
    private static String nameOf(DeploymentIdentity deployment) {
        return "deployment:" + deployment.project() + "/" + deployment.environment() + "/" + deployment.service();
    }

    private void putIdentity(String name, Collection<EntryPath> entries) {
        String paths = entries.stream().map(EntryPath::path).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining("\n"));
        LocalPolicy identity = new LocalPolicy(name, paths);
        if (policies.existsById(name)) {
            policies.update(identity);
        } else {
            policies.save(identity);
        }
    }

    @Override
    public IssuedToken createToken(String role, TokenRequest request) {
        String token = "vg_local_" + randomText(32);
        String accessor = "local_" + randomText(12);
        Instant expiresAt = clock.instant().plus(request.ttl());
        tokens.save(new LocalToken(
                sha256(token),
                accessor,
                request.displayName(),
                String.join(",", new TreeSet<>(request.policies())),
                writeMap(request.metadata()),
                expiresAt,
                request.numUses() == 0 ? null : request.numUses(),
                false,
                request.boundTo() == null ? null : nameOf(request.boundTo())));
        return new IssuedToken(token, accessor, expiresAt, request.numUses());
    }

    @Override
    public boolean revokeAccessor(String accessor) {
        return tokens.revokeByAccessor(accessor) > 0;
    }

    // --- CallerReads ----------------------------------------------------------------------------

    @Override
    public List<Optional<VersionedEntry>> readAs(CallerToken caller, List<EntryPath> reads) {
        LocalToken token = live(caller.token()).orElseThrow(() -> refused("the token is unknown, expired or revoked"));
        Set<String> readable = new HashSet<>();
        if (token.boundTo() != null) {
            policies.findById(token.boundTo())
                    .ifPresent(p -> readable.addAll(Arrays.asList(p.paths().split("\n"))));
        }
        if (token.usesLeft() != null) {
            // Like Vault: every read is a use, and the token is gone after its last one.
            int spent = Math.min(reads.size(), token.usesLeft());
            if (tokens.spendUses(token.tokenHash(), spent) == 0 || spent < reads.size()) {
                throw refused("the token ran out of uses");
            }
        }
        List<Optional<VersionedEntry>> answers = new ArrayList<>();
        for (EntryPath read : reads) {
            if (!readable.contains(read.path())) {
                throw refused("the token's identity does not grant entry " + read);
            }
            answers.add(store.read(read));
        }
        return answers;
    }

    private static CallerTokenRefusedException refused(String why) {
        return new CallerTokenRefusedException("local token authority refused the caller's token: " + why);
    }

    // --- helpers --------------------------------------------------------------------------------

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String writeMap(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode token metadata", e);
        }
    }

    private static Map<String, String> readMap(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable token metadata", e);
        }
    }

    /**
     * A local token: its hash, never the token. {@code usesLeft} null for unlimited; {@code boundTo}
     * the deployment identity it reads by, null for an operator token.
     */
    @MappedEntity("local_token")
    record LocalToken(
            @Id String tokenHash,
            String accessor,
            String displayName,
            String policies,
            String metadata,
            Instant expiresAt,
            @Nullable Integer usesLeft,
            boolean revoked,
            @Nullable String boundTo) {}

    /** A deployment identity: the entry paths a token bound to it reads, one per line (none once retired). */
    @MappedEntity("local_policy")
    record LocalPolicy(@Id String name, String paths) {}

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Tokens extends CrudRepository<LocalToken, String> {

        @Query("UPDATE local_token SET revoked = TRUE WHERE accessor = :accessor AND revoked = FALSE")
        int revokeByAccessor(String accessor);

        /** Takes {@code uses} uses if that many are left; answers the rows changed (0: not enough left). */
        @Query(
                "UPDATE local_token SET uses_left = uses_left - :uses WHERE token_hash = :tokenHash AND uses_left >= :uses")
        int spendUses(String tokenHash, int uses);
    }

    @JdbcRepository(dialect = Dialect.MYSQL)
    interface Policies extends CrudRepository<LocalPolicy, String> {}
}
