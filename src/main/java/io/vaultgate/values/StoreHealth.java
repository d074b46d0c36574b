package io.vaultgate.values;

/** What the value store says about itself: up or not, and why not in words safe to show. */
public record StoreHealth(boolean up, String detail) {

    public static StoreHealth up(String detail) {
        return new StoreHealth(true, detail);
    }

    public static StoreHealth down(String detail) {
        return new StoreHealth(false, detail);
    }
}
