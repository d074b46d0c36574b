/**
 * What the features share about MySQL itself rather than about their own tables: its clock (the
 * one every replica agrees on), the retry of a transaction it rolled back, the column form of an
 * enum (its wire name), and the history of the migrations.
 */
package io.vaultgate.database;
