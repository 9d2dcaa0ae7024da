package dev.keel.kernel.auth;

/** A read's typed result: {@code value} is present exactly when {@code error} is {@link AuthError#OK}. */
public record Lookup<T>(AuthError error, T value) {
    static <T> Lookup<T> found(T value) {
        return new Lookup<>(AuthError.OK, value);
    }

    static <T> Lookup<T> missing(AuthError error) {
        return new Lookup<>(error, null);
    }
}
