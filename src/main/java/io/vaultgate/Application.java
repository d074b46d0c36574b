package io.vaultgate;

import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.Micronaut;

public class Application {

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .mapError(BeanInstantiationException.class, RunMode::exitCode)
                .start();
    }
}
