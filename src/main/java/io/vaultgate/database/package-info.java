/**
 * What the features share about MySQL itself rather than about their own tables: its clock.
 */
package io.vaultgate.database;
