package io.vaultgate.identity;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;

/**
 * Who may do what. Today every operator endpoint needs an admin; project admins and deployers
 * arrive with the operator roles, and they belong here, beside this rule.
 */
public final class Access {

    private Access() {
    }

    public static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This operation needs an admin token.");
        }
    }
}
