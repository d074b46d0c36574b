/**
 * The catalog: projects, environments (with their type), services and deployments, created
 * idempotently by PUT. Other features ask it whether a scope exists and for a deployment's scope chain.
 */
package io.vaultgate.project;
