package io.vaultgate.identity;

import io.vaultgate.database.Transactions;
import jakarta.inject.Singleton;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints a token and records it in MySQL, or takes it back. A token the gateway did not record is
 * revocable by no one through the gateway (not by accessor, not with its deployment), so one whose
 * record failed is revoked rather than handed out: the one home of that rule for every kind of token.
 */
@Singleton
class RecordedMint {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedMint.class);

    private final IdentityOperations authority;
    private final Transactions transactions;

    RecordedMint(IdentityOperations authority, Transactions transactions) {
        this.authority = authority;
        this.transactions = transactions;
    }

    /**
     * @param record writes the token's row (and its audit) in one transaction; throwing refuses the token
     * @return the token, recorded
     */
    IssuedToken mint(String role, TokenRequest request, Consumer<IssuedToken> record) {
        IssuedToken token = authority.createToken(role, request);
        try {
            transactions.executeWrite(status -> {
                record.accept(token);
                return null;
            });
        } catch (RuntimeException | Error notRecorded) {
            takeBack(token.accessor());
            throw notRecorded;
        }
        return token;
    }

    private void takeBack(String accessor) {
        try {
            authority.revokeAccessor(accessor);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not revoke unrecorded token {} after a failed mint; it expires on its own: {}",
                    accessor,
                    e.getMessage());
        }
    }
}
