package io.vaultgate.web;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Closes a pooled connection that a primary turned read-only refused, instead of lending it out
 * again: after a failover that connection still reaches the old primary, so the retry a 503 asks
 * for would meet the same refusal for as long as the connection lives (30 minutes by default).
 * HikariCP builds it by name ({@code datasources.default.exception-override-class-name}).
 */
public final class ReadOnlyPrimaryEviction implements SQLExceptionOverride {

    @java.lang.Override // the interface's own nested Override hides the annotation's simple name
    public Override adjudicate(SQLException failure) {
        return MetadataFailure.isReadOnly(failure) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
