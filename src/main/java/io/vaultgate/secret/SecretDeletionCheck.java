package io.vaultgate.secret;

import io.vaultgate.scope.Scope;
import java.util.List;

/**
 * Asked before a secret is deleted (unless the caller forces it): which deployments would lose
 * a key they depend on. Implemented outside this package (requirements live in delivery), so
 * the arrow points into {@code secret}, never out of it.
 */
public interface SecretDeletionCheck {

    /**
     * @return the deployments ({@code environment/service}) for which {@code key} would become
     * unresolved if it were deleted at {@code scope}; empty when none
     */
    List<String> deploymentsLeftUnresolved(Scope scope, String key);
}
