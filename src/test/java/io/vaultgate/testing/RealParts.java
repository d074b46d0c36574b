package io.vaultgate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that runs on real parts: a Vault-API server and a
 * MySQL-protocol database, never mocks. The class gets its own fresh database and KV path
 * prefix through {@link RealStack#forClass(Class)}; the database is dropped after the class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealStackExtension.class)
public @interface RealParts {}
