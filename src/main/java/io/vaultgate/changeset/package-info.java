/**
 * Change-set drafts: changes staged for review instead of applied ({@code ?changeSet={id}} on the
 * ordinary write routes, through the {@code secret.DraftStaging} port), their impact and
 * conflicts, approval rules per environment type and approvals, and the release, now or not
 * before a time, as one change-set through {@code secret.MultiScopeRelease}. Staged values wait
 * in the draft's own Vault entry ({@code values.EntryPath.draft}); MySQL holds names, scopes,
 * operations and versions only.
 */
package io.vaultgate.changeset;
