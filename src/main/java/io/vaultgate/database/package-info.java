/**
 * What the features share about MySQL itself rather than about their own tables: its clock (the
 * one every replica agrees on), the retry of a transaction it rolled back, the column form of an
 * enum (its wire name), the history of the migrations, and how a hand-written statement binds a
 * time so it is stored as the driver stores an instant.
 */
package io.vaultgate.database;
