/**
 * The web console at {@code /console}: server-rendered pages (Micronaut Views, Thymeleaf) for the
 * people who run the platform. It signs a person in with their token, keeps that token only in a
 * cookie sealed with AES-GCM ({@link io.vaultgate.console.SessionSeal}), and on every request
 * looks the token up again and calls the feature services as that caller, so it can do exactly
 * what the API lets the same token do. It depends on the features; nothing depends on it.
 * How to add a screen: {@code docs/console.md}.
 */
package io.vaultgate.console;
