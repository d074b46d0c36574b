package io.vaultgate.cli;

/**
 * The documented exit codes, and the one place an answer of the gateway becomes one. Scripts
 * depend on these numbers: never renumber, only add.
 */
enum ExitCode {
    OK(0, "success"),
    ERROR(1, "error: invalid input, refused request, server error"),
    USAGE(2, "usage: unknown command or option, missing or bad argument"),
    NOT_FOUND(3, "not found: project, environment, service, secret, version, token, hook"),
    CONFLICT(
            4,
            "conflict: expected version mismatch, scope busy, required key, Idempotency-Key reuse, "
                    + "change-set draft closed, busy, in conflict or short of approvals"),
    AUTH(5, "authentication or permission: no token, bad token, not allowed (401, 403)"),
    UNAVAILABLE(6, "unavailable: gateway or its stores unreachable (connection refused, timeout, 502, 503, 504)"),
    MISSING_KEYS(7, "check: the deployment lacks keys it requires"),
    STALE(8, "rollout status: a live instance still runs an older revision (after --wait)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    int code() {
        return code;
    }

    String meaning() {
        return meaning;
    }

    /**
     * By HTTP status, which the gateway's stable error codes each map to one of; 422
     * ({@code idempotency-key-reused}) is a conflict of this request with an earlier one.
     */
    static ExitCode forStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404, 410 -> NOT_FOUND;
            case 409, 412, 422 -> CONFLICT;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> ERROR;
        };
    }
}
