package io.vaultgate.audit;

/**
 * The row id of a project named in an audit request. The catalog answers it, with the same 404 as
 * every other path of a project that does not exist.
 */
public interface ProjectIds {

    long requireId(String projectSlug);
}
